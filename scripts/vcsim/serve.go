package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/find"
	_ "github.com/vmware/govmomi/pbm/simulator" // storage policies: the provider opens a PBM session on login
	"github.com/vmware/govmomi/simulator"
	_ "github.com/vmware/govmomi/vapi/simulator" // the REST endpoints the provider logs in to beside SOAP
)

// Inventory names what the stack file points at. The defaults are those of stacks/Pulumi.campus-vsphere.yaml.
type Inventory struct {
	Datacenter string
	Cluster    string
	Datastore  string
	Folder     string
	Template   string
	PortGroups []string
}

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on (loopback only by default)")
	inv := Inventory{}
	fs.StringVar(&inv.Datacenter, "datacenter", "campus-dc", "datacenter name")
	fs.StringVar(&inv.Cluster, "cluster", "cluster-01", "cluster name")
	fs.StringVar(&inv.Datastore, "datastore", "datastore-01", "datastore name")
	fs.StringVar(&inv.Folder, "folder", "filings", "VM folder the filings' VMs go into")
	fs.StringVar(&inv.Template, "template", "ubuntu-24.04-template", "template VM the filings are cloned from")
	var groups listFlag
	fs.Var(&groups, "port-group", "port group name (repeatable; default: campus-internal, campus-dmz, filings-quarantine-internal, filings-quarantine-external)")
	_ = fs.Parse(args)
	inv.PortGroups = groups
	if len(inv.PortGroups) == 0 {
		inv.PortGroups = []string{"campus-internal", "campus-dmz", "filings-quarantine-internal", "filings-quarantine-external"}
	}

	model := simulator.VPX()
	model.Datacenter = 1
	model.Cluster = 1
	model.ClusterHost = 2
	model.Host = 0
	model.Datastore = 0 // made with the stack's name in build()
	model.Portgroup = len(inv.PortGroups)
	model.Machine = 0
	model.Pool = 0
	if err := model.Create(); err != nil {
		return fmt.Errorf("creating the model: %w", err)
	}
	defer model.Remove()

	// A password of its own for each run, so that a wrong one is refused as vCenter would refuse it
	// (with the default login, the simulator takes any user name and password).
	secret := make([]byte, 16)
	if _, err := rand.Read(secret); err != nil {
		return err
	}
	model.Service.Listen = &url.URL{Host: *listen, User: url.UserPassword("user", hex.EncodeToString(secret))}
	model.Service.TLS = new(tls.Config)
	model.Service.RegisterEndpoints = true
	install(model.Map())
	// Never closed gracefully: Close waits for every connection, and a client that went away in the
	// middle of a long poll would hold the exit for up to a minute. Nothing here outlives the process.
	server := model.Service.NewServer()

	ctx := context.Background()
	client, err := govmomi.NewClient(ctx, server.URL, true)
	if err != nil {
		return fmt.Errorf("connecting to the simulator: %w", err)
	}
	dir, err := os.MkdirTemp("", "filings-vcsim-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := build(ctx, client.Client, inv, dir); err != nil {
		return fmt.Errorf("building the inventory: %w", err)
	}
	// The port groups' ids, which the policy pack's zoneNetworks setting takes (docs/policy.md).
	networks := map[string]string{}
	finder := find.NewFinder(client.Client, false)
	for _, name := range inv.PortGroups {
		n, err := finder.Network(ctx, "/"+inv.Datacenter+"/network/"+name)
		if err != nil {
			return err
		}
		networks[name] = n.Reference().Value
	}
	_ = client.Logout(ctx)

	user := server.URL.User.Username()
	password, _ := server.URL.User.Password()
	line, _ := json.Marshal(map[string]any{
		"url":      server.URL.String(),
		"server":   server.URL.Host,
		"user":     user,
		"password": password,
		"networks": networks,
	})
	fmt.Println(string(line))

	// Stop when the parent goes away (stdin closes) or asks us to, so a crashed test leaves nothing behind.
	done := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); close(done) }()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	select {
	case <-done:
	case <-sig:
	}
	return nil
}
