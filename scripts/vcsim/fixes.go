package main

// Where govmomi's simulator (v0.54.1) and a real vCenter part ways in ways the vSphere provider
// (pulumi-vsphere 4.17.0 on terraform-provider-vsphere 2.16.1) trips over. Each fix names the
// provider call that needs it. They hook the simulator's own objects (a request hook, an object
// hook and the environment browsers' configured answer) instead of copying its code.
//
// The simulator dispatches a SOAP call to the object the session finds for it, so a wrapper type
// returned by Registry.Handler is ignored for objects in the inventory: the hooks below therefore
// act before the call (on the request) or after it (on the property changes it posts).

import (
	"net"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/simulator/esx"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// install puts the fixes into the registry.
func install(m *simulator.Registry) {
	f := &fixes{registry: m, self: types.ManagedObjectReference{Type: "FilingsFixes", Value: "fixes-1"}, routes: map[types.ManagedObjectReference]route{}, versions: newVersions()}
	m.Handler = f.handler
	m.AddHandler(f)
	f.hardwareVersion()
}

type fixes struct {
	registry *simulator.Registry
	self     types.ManagedObjectReference
	mu       sync.Mutex
	// What guest customization gave each VM, reported by its "guest tools" once it has booted.
	routes map[types.ManagedObjectReference]route
	// Fix 5 (collector.go): the shared collector's versions.
	versions *versions
}

type route struct {
	gateway string
	prefix  map[string]int32 // IP address → prefix length
}

// handler runs before every SOAP call.
func (f *fixes) handler(ctx *simulator.Context, method *simulator.Method) (mo.Reference, types.BaseMethodFault) {
	if h := f.shared(ctx, method); h != nil {
		return h, nil
	}
	switch body := method.Body.(type) {
	// Fix 1. computeresource.HostSystemFromID / StandaloneFromID (used when the provider resolves
	// the VM's host and resource pool) look the cluster up as {Type: "ComputeResource", Value:
	// <cluster id>}. vCenter accepts a supertype in a reference; the simulator keys objects by
	// their exact type, so the reference is made exact here.
	case *types.RetrievePropertiesEx:
		f.supertypes(body.SpecSet)
	case *types.RetrieveProperties:
		f.supertypes(body.SpecSet)
	case *types.CreateFilter:
		f.supertypes([]types.PropertyFilterSpec{body.Spec})
		inNameOrder(&body.Spec)
	case *types.ReconfigVM_Task:
		f.swapPlacement(ctx, method.This, body.Spec.SwapPlacement)
	case *types.CustomizeVM_Task:
		f.remember(method.This, body.Spec)
	}
	if ctx.Map.Get(method.This) == nil {
		if alias := f.alias(method.This); alias != nil {
			return alias, nil
		}
	}
	return nil, nil
}

// alias finds the object a supertype reference means: a ClusterComputeResource named as ComputeResource.
func (f *fixes) alias(ref types.ManagedObjectReference) mo.Reference {
	if ref.Type != "ComputeResource" {
		return nil
	}
	return f.registry.Get(types.ManagedObjectReference{Type: "ClusterComputeResource", Value: ref.Value})
}

func (f *fixes) supertypes(specs []types.PropertyFilterSpec) {
	for i := range specs {
		for j := range specs[i].ObjectSet {
			obj := &specs[i].ObjectSet[j].Obj
			if f.registry.Get(*obj) == nil {
				if alias := f.alias(*obj); alias != nil {
					*obj = alias.Reference()
				}
			}
		}
	}
}

// Fix 4, third part. vCenter reports an object's properties in name order; the simulator in the
// order asked. WaitForGuestNet asks for guest.net before guest.ipStack and judges each address
// against the route read so far, so when both are already there at its first read (the guest
// booted before the wait began) it sees the address before the route and then waits for a change
// that never comes.
func inNameOrder(spec *types.PropertyFilterSpec) {
	for i := range spec.PropSet {
		paths := append([]string(nil), spec.PropSet[i].PathSet...)
		sort.Strings(paths)
		spec.PropSet[i].PathSet = paths
	}
}

// Fix 2. The provider's read (flattenVirtualMachineConfigInfo) reports config.swapPlacement as
// swap_placement_policy, default "inherit", and its update sends it in ReconfigVM_Task. The
// simulator neither stores it nor gives new VMs vCenter's default (PutObject below), so every
// preview shows a change on every VM.
func (f *fixes) swapPlacement(ctx *simulator.Context, ref types.ManagedObjectReference, policy string) {
	vm, ok := ctx.Map.Get(ref).(*simulator.VirtualMachine)
	if !ok || policy == "" {
		return
	}
	ctx.WithLock(vm, func() {
		if !vm.Config.Template {
			ctx.Update(vm, []types.PropertyChange{{Name: "config.swapPlacement", Val: policy}})
		}
	})
}

// Fix 3. virtualmachine.SetHardwareVersion, on every update of a VM (a memory change, say),
// compares QueryConfigOption's hardwareOptions.hwVersion with the VM's; the simulator answers 0,
// so the provider asks for UpgradeVM_Task and fails with AlreadyUpgradedFault. Every VM here is at
// the simulator's hardware version, so each environment browser answers with that version.
func (f *fixes) hardwareVersion() {
	n, err := strconv.Atoi(strings.TrimPrefix(esx.HardwareVersion, "vmx-"))
	if err != nil {
		return
	}
	for _, obj := range f.registry.AllReference("EnvironmentBrowser") {
		if b, ok := obj.(*simulator.EnvironmentBrowser); ok && b.QueryConfigOptionResponse.Returnval == nil {
			b.QueryConfigOptionResponse.Returnval = &types.VirtualMachineConfigOption{
				Version:         esx.HardwareVersion,
				DefaultDevice:   esx.VirtualDevice,
				HardwareOptions: types.VirtualHardwareOption{HwVersion: int32(n)},
			}
		}
	}
}

// Fix 4, first half: remember the gateway and prefix lengths guest customization (the clone's
// customize block, sent by virtualmachine.Customize) gives the VM; the simulator keeps only the address.
func (f *fixes) remember(ref types.ManagedObjectReference, spec types.CustomizationSpec) {
	r := route{prefix: map[string]int32{}}
	for _, nic := range spec.NicSettingMap {
		if len(nic.Adapter.Gateway) > 0 && r.gateway == "" {
			r.gateway = nic.Adapter.Gateway[0]
		}
		if ip, ok := nic.Adapter.Ip.(*types.CustomizationFixedIp); ok {
			if mask := net.ParseIP(nic.Adapter.SubnetMask).To4(); mask != nil {
				ones, _ := net.IPMask(mask).Size()
				r.prefix[ip.IpAddress] = int32(ones)
			}
		}
	}
	if r.gateway == "" {
		return
	}
	f.mu.Lock()
	f.routes[ref] = r
	f.mu.Unlock()
}

// The object hook (simulator.RegisterObject).
func (f *fixes) Reference() types.ManagedObjectReference { return f.self }

func (f *fixes) PutObject(_ *simulator.Context, obj mo.Reference) {
	// Fix 2, second half: vCenter gives a new VM swapPlacement "inherit".
	if vm, ok := obj.(*simulator.VirtualMachine); ok && vm.Config != nil && vm.Config.SwapPlacement == "" {
		vm.Config.SwapPlacement = string(types.VirtualMachineConfigInfoSwapPlacementTypeInherit)
	}
}

// Fix 4, second half. WaitForGuestNet (wait_for_guest_net_routable, on by default) waits until
// guest.ipStack has a default route and then a guest.net address in the gateway's subnet. The
// simulator never reports a route, and posts guest.net once (when the power-on applies the
// customization), so the wait never ends. When that guest.net is posted we report, as VMware
// Tools would a moment after boot, the default route and then guest.net again with the prefix
// lengths.
func (f *fixes) UpdateObject(_ *simulator.Context, obj mo.Reference, changes []types.PropertyChange) {
	vm, ok := obj.(*mo.VirtualMachine)
	if !ok {
		return
	}
	posted := false
	for _, c := range changes {
		posted = posted || c.Name == "guest.net"
	}
	if !posted {
		return
	}
	f.mu.Lock()
	r, ok := f.routes[vm.Self]
	delete(f.routes, vm.Self)
	f.mu.Unlock()
	if ok {
		// Not inline: the power-on task holds the VM's lock until the customization is done.
		go f.reportRoute(vm.Self, r)
	}
}

func (f *fixes) reportRoute(ref types.ManagedObjectReference, r route) {
	vm, ok := f.registry.Get(ref).(*simulator.VirtualMachine)
	if !ok {
		return
	}
	ctx := &simulator.Context{Map: f.registry}
	ctx.WithLock(vm, func() {
		stack := []types.GuestStackInfo{{IpRouteConfig: &types.NetIpRouteConfigInfo{IpRoute: []types.NetIpRouteConfigInfoIpRoute{{
			Network:      "0.0.0.0",
			PrefixLength: 0,
			Gateway:      types.NetIpRouteConfigInfoGateway{IpAddress: r.gateway, Device: "0"},
		}}}}}
		nics := append([]types.GuestNicInfo(nil), vm.Guest.Net...)
		for i := range nics {
			if nics[i].IpConfig == nil {
				continue
			}
			cfg := *nics[i].IpConfig
			cfg.IpAddress = append([]types.NetIpConfigInfoIpAddress(nil), cfg.IpAddress...)
			for j := range cfg.IpAddress {
				if p, ok := r.prefix[cfg.IpAddress[j].IpAddress]; ok {
					cfg.IpAddress[j].PrefixLength = p
				}
			}
			nics[i].IpConfig = &cfg
		}
		// In this order: the waiter reads the route first, then judges the addresses against it.
		ctx.Update(vm, []types.PropertyChange{
			{Name: "guest.ipStack", Val: stack},
			{Name: "guest.net", Val: nics},
		})
	})
}

func (f *fixes) RemoveObject(_ *simulator.Context, ref types.ManagedObjectReference) {
	f.mu.Lock()
	delete(f.routes, ref)
	f.mu.Unlock()
}
