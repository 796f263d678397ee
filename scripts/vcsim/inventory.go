package main

import (
	"context"
	"fmt"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/types"
)

// build renames the model's generated objects (DC0, DC0_C0, DC0_DVPG<n>) to the names a stack file
// uses, adds the datastore (on every host, in dir), makes the filings folder and adds the template
// the program clones from, all through the API as an administrator would.
func build(ctx context.Context, c *vim25.Client, inv Inventory, dir string) error {
	finder := find.NewFinder(c, false)
	dc, err := finder.Datacenter(ctx, "DC0")
	if err != nil {
		return err
	}
	finder.SetDatacenter(dc)

	rename := func(path string, name string) error {
		list, err := finder.ManagedObjectList(ctx, path)
		if err != nil || len(list) != 1 {
			return fmt.Errorf("%s: not found in the model (%v)", path, err)
		}
		task, err := object.NewCommon(c, list[0].Object.Reference()).Rename(ctx, name)
		if err != nil {
			return fmt.Errorf("renaming %s to %s: %w", path, name, err)
		}
		return task.Wait(ctx)
	}
	// Children first: their paths contain the datacenter's name.
	if err := rename("/DC0/host/DC0_C0", inv.Cluster); err != nil {
		return err
	}
	for i, name := range inv.PortGroups {
		if err := rename(fmt.Sprintf("/DC0/network/DC0_DVPG%d", i), name); err != nil {
			return err
		}
	}
	if err := rename("/DC0", inv.Datacenter); err != nil {
		return err
	}

	finder = find.NewFinder(c, false)
	dc, err = finder.Datacenter(ctx, inv.Datacenter)
	if err != nil {
		return err
	}
	finder.SetDatacenter(dc)
	folders, err := dc.Folders(ctx)
	if err != nil {
		return err
	}
	hosts, err := finder.HostSystemList(ctx, "*/*")
	if err != nil {
		return err
	}
	for _, host := range hosts {
		ds, err := host.ConfigManager().DatastoreSystem(ctx)
		if err != nil {
			return err
		}
		if _, err := ds.CreateLocalDatastore(ctx, inv.Datastore, dir); err != nil {
			return fmt.Errorf("datastore %s on %s: %w", inv.Datastore, host.Name(), err)
		}
	}
	if _, err := folders.VmFolder.CreateFolder(ctx, inv.Folder); err != nil {
		return fmt.Errorf("creating folder %s: %w", inv.Folder, err)
	}
	cluster, err := finder.ClusterComputeResource(ctx, inv.Cluster)
	if err != nil {
		return err
	}
	pool, err := cluster.ResourcePool(ctx)
	if err != nil {
		return err
	}
	network, err := finder.Network(ctx, inv.PortGroups[0])
	if err != nil {
		return err
	}
	return template(ctx, folders.VmFolder, pool, network, inv)
}

// template creates the image every filing's VM is cloned from: Ubuntu 64-bit, 2 vCPU, 2 GiB, one
// thin 16 GiB disk on a paravirtual SCSI controller and one vmxnet3 NIC.
func template(ctx context.Context, folder *object.Folder, pool *object.ResourcePool, network object.NetworkReference, inv Inventory) error {
	devices := object.VirtualDeviceList{}
	scsi, err := devices.CreateSCSIController("pvscsi")
	if err != nil {
		return err
	}
	devices = append(devices, scsi)
	controller, err := devices.FindSCSIController("")
	if err != nil {
		return err
	}
	disk := devices.CreateDisk(controller, types.ManagedObjectReference{}, fmt.Sprintf("[%s] %s/%s.vmdk", inv.Datastore, inv.Template, inv.Template))
	disk.CapacityInKB = 16 * 1024 * 1024
	disk.Backing.(*types.VirtualDiskFlatVer2BackingInfo).ThinProvisioned = types.NewBool(true)
	devices = append(devices, disk)
	backing, err := network.EthernetCardBackingInfo(ctx)
	if err != nil {
		return err
	}
	nic, err := devices.CreateEthernetCard("vmxnet3", backing)
	if err != nil {
		return err
	}
	devices = append(devices, nic)
	change, err := devices.ConfigSpec(types.VirtualDeviceConfigSpecOperationAdd)
	if err != nil {
		return err
	}
	spec := types.VirtualMachineConfigSpec{
		Name:         inv.Template,
		GuestId:      string(types.VirtualMachineGuestOsIdentifierUbuntu64Guest),
		NumCPUs:      2,
		MemoryMB:     2048,
		Files:        &types.VirtualMachineFileInfo{VmPathName: fmt.Sprintf("[%s]", inv.Datastore)},
		DeviceChange: change,
	}
	task, err := folder.CreateVM(ctx, spec, pool, nil)
	if err != nil {
		return err
	}
	info, err := task.WaitForResult(ctx)
	if err != nil {
		return fmt.Errorf("creating template %s: %w", inv.Template, err)
	}
	vm := object.NewVirtualMachine(folder.Client(), info.Result.(types.ManagedObjectReference))
	return vm.MarkAsTemplate(ctx)
}
