package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// setMemory changes one VM's memory through the vSphere API, as an operator would by hand in
// vCenter: the out-of-band change that `filing drift` must find.
func setMemory(args []string) error {
	fs := flag.NewFlagSet("set-memory", flag.ExitOnError)
	raw := fs.String("url", "", "the simulator's URL as `vcsim serve` printed it")
	name := fs.String("vm", "", "the VM's name")
	mib := fs.Int("mib", 0, "the new memory size in MiB")
	_ = fs.Parse(args)
	if *name == "" || *mib <= 0 {
		return fmt.Errorf("set-memory: give --vm and a --mib above 0")
	}
	return byHand(*raw, *name, func(ctx context.Context, vm *object.VirtualMachine) (*object.Task, error) {
		return vm.Reconfigure(ctx, types.VirtualMachineConfigSpec{MemoryMB: int64(*mib)})
	})
}

// powerOff powers one VM off through the vSphere API, as the information center does by hand for a
// decommissioned VM on vSphere (the provider cannot): what the removal check and drift must read.
func powerOff(args []string) error {
	fs := flag.NewFlagSet("power-off", flag.ExitOnError)
	raw := fs.String("url", "", "the simulator's URL as `vcsim serve` printed it")
	name := fs.String("vm", "", "the VM's name")
	_ = fs.Parse(args)
	if *name == "" {
		return fmt.Errorf("power-off: give --vm")
	}
	return byHand(*raw, *name, func(ctx context.Context, vm *object.VirtualMachine) (*object.Task, error) {
		return vm.PowerOff(ctx)
	})
}

// byHand signs in, finds the one VM named `name` and waits for the task `edit` starts on it.
func byHand(raw, name string, edit func(context.Context, *object.VirtualMachine) (*object.Task, error)) error {
	ctx := context.Background()
	client, err := connect(ctx, raw)
	if err != nil {
		return err
	}
	defer client.Logout(ctx)

	v, err := view.NewManager(client.Client).CreateContainerView(ctx, client.ServiceContent.RootFolder, []string{"VirtualMachine"}, true)
	if err != nil {
		return err
	}
	defer v.Destroy(ctx)
	var all, found []mo.VirtualMachine
	if err := v.Retrieve(ctx, []string{"VirtualMachine"}, []string{"name"}, &all); err != nil {
		return err
	}
	for _, vm := range all {
		if vm.Name == name {
			found = append(found, vm)
		}
	}
	if len(found) != 1 {
		return fmt.Errorf("%d VMs named %q", len(found), name)
	}
	task, err := edit(ctx, object.NewVirtualMachine(client.Client, found[0].Reference()))
	if err != nil {
		return err
	}
	return task.Wait(ctx)
}
