package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"sort"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// VM is what the simulator holds for one VM, in the units the filings use.
type VM struct {
	Name             string            `json:"name"`
	Folder           string            `json:"folder"`
	NumCpus          int32             `json:"numCpus"`
	MemoryMiB        int32             `json:"memoryMiB"`
	DisksGiB         []int64           `json:"disksGiB"`
	Networks         []string          `json:"networks"`
	IP               string            `json:"ip"`
	Gateway          string            `json:"gateway"`
	Annotation       string            `json:"annotation"`
	CustomAttributes map[string]string `json:"customAttributes"`
	PowerState       string            `json:"powerState"`
}

// connect logs in to the simulator at the URL `vcsim serve` printed (credentials included).
func connect(ctx context.Context, raw string) (*govmomi.Client, error) {
	u, err := url.Parse(raw)
	if err != nil || raw == "" {
		return nil, fmt.Errorf("--url: give the URL `vcsim serve` printed")
	}
	return govmomi.NewClient(ctx, u, true)
}

func vms(args []string) error {
	fs := flag.NewFlagSet("vms", flag.ExitOnError)
	raw := fs.String("url", "", "the simulator's URL as `vcsim serve` printed it")
	folder := fs.String("folder", "filings", "only VMs in this folder (empty: every VM that is not a template)")
	_ = fs.Parse(args)
	ctx := context.Background()
	client, err := connect(ctx, *raw)
	if err != nil {
		return err
	}
	defer client.Logout(ctx)

	fields := map[int32]string{}
	if cfm, err := object.GetCustomFieldsManager(client.Client); err == nil {
		defs, err := cfm.Field(ctx)
		if err != nil {
			return err
		}
		for _, d := range defs {
			fields[d.Key] = d.Name
		}
	}

	m := view.NewManager(client.Client)
	v, err := m.CreateContainerView(ctx, client.ServiceContent.RootFolder, []string{"VirtualMachine"}, true)
	if err != nil {
		return err
	}
	defer v.Destroy(ctx)
	var all []mo.VirtualMachine
	if err := v.Retrieve(ctx, []string{"VirtualMachine"}, []string{"name", "parent", "config", "customValue", "runtime.powerState", "guest"}, &all); err != nil {
		return err
	}

	// Read as raw properties: decoding a port group into mo.ManagedEntity leaves its name empty.
	names := func(refs []types.ManagedObjectReference) map[types.ManagedObjectReference]string {
		out := map[types.ManagedObjectReference]string{}
		for _, ref := range refs {
			var content []types.ObjectContent
			err := client.RetrieveOne(ctx, ref, []string{"name"}, &content)
			if err == nil && len(content) == 1 && len(content[0].PropSet) == 1 {
				out[ref], _ = content[0].PropSet[0].Val.(string)
			}
		}
		return out
	}

	out := []VM{}
	for _, vm := range all {
		if vm.Config == nil || vm.Config.Template {
			continue
		}
		parent := ""
		if vm.Parent != nil {
			parent = names([]types.ManagedObjectReference{*vm.Parent})[*vm.Parent]
		}
		if *folder != "" && parent != *folder {
			continue
		}
		r := VM{
			Name:             vm.Name,
			Folder:           parent,
			NumCpus:          vm.Config.Hardware.NumCPU,
			MemoryMiB:        vm.Config.Hardware.MemoryMB,
			DisksGiB:         []int64{},
			Networks:         []string{},
			Annotation:       vm.Config.Annotation,
			CustomAttributes: map[string]string{},
			PowerState:       string(vm.Runtime.PowerState),
		}
		devices := object.VirtualDeviceList(vm.Config.Hardware.Device)
		for _, d := range devices.SelectByType((*types.VirtualDisk)(nil)) {
			r.DisksGiB = append(r.DisksGiB, d.(*types.VirtualDisk).CapacityInKB/(1024*1024))
		}
		// The NICs' port groups, in device order, named from each NIC's own backing.
		for _, d := range devices.SelectByType((*types.VirtualEthernetCard)(nil)) {
			name := ""
			switch b := d.GetVirtualDevice().Backing.(type) {
			case *types.VirtualEthernetCardDistributedVirtualPortBackingInfo:
				ref := types.ManagedObjectReference{Type: "DistributedVirtualPortgroup", Value: b.Port.PortgroupKey}
				name = names([]types.ManagedObjectReference{ref})[ref]
			case *types.VirtualEthernetCardNetworkBackingInfo:
				name = b.DeviceName
			}
			r.Networks = append(r.Networks, name)
		}
		if vm.Guest != nil {
			r.IP = vm.Guest.IpAddress
			for _, s := range vm.Guest.IpStack {
				if s.IpRouteConfig == nil {
					continue
				}
				for _, route := range s.IpRouteConfig.IpRoute {
					if route.Network == "0.0.0.0" {
						r.Gateway = route.Gateway.IpAddress
					}
				}
			}
		}
		for _, cv := range vm.CustomValue {
			if s, ok := cv.(*types.CustomFieldStringValue); ok {
				r.CustomAttributes[fields[s.Key]] = s.Value
			}
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
