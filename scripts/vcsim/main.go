// Command vcsim is the simulated vCenter the end-to-end tests and `npm run demo` run the vSphere
// provider against: govmomi's simulator with the inventory our stack files name, the fixes in
// fixes.go, and a read-back command, so that tests compare what the simulator holds with the filings
// instead of trusting Pulumi's own outputs.
//
//	vcsim serve [flags]   start it; prints one JSON line {"url","server","user","password","networks"}
//	                      on stdout (networks: port group name → id) and runs until stdin closes or it
//	                      gets SIGINT/SIGTERM
//	vcsim vms --url URL   print every VM in the filings folder as JSON (see readback.go)
//	vcsim set-memory --url URL --vm NAME --mib N
//	                      change one VM's memory, as by hand in vCenter (handedit.go)
//	vcsim power-off --url URL --vm NAME
//	                      power one VM off, as by hand in vCenter (handedit.go)
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(os.Args[2:])
	case "vms":
		err = vms(os.Args[2:])
	case "set-memory":
		err = setMemory(os.Args[2:])
	case "power-off":
		err = powerOff(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "vcsim: %v\n", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: vcsim serve [--listen 127.0.0.1:0] [inventory flags] | vcsim vms --url URL [--folder NAME] | vcsim set-memory --url URL --vm NAME --mib N | vcsim power-off --url URL --vm NAME")
	os.Exit(2)
}
