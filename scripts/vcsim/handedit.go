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
	ctx := context.Background()
	client, err := connect(ctx, *raw)
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
		if vm.Name == *name {
			found = append(found, vm)
		}
	}
	if len(found) != 1 {
		return fmt.Errorf("%d VMs named %q", len(found), *name)
	}
	task, err := object.NewVirtualMachine(client.Client, found[0].Reference()).Reconfigure(ctx, types.VirtualMachineConfigSpec{MemoryMB: int64(*mib)})
	if err != nil {
		return err
	}
	return task.Wait(ctx)
}
