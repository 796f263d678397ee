package main

// Fix 5: concurrent waits on the session's shared property collector.
//
// The provider waits for its tasks with govmomi's Task.WaitForResultEx / WaitEx, which use the
// session's own PropertyCollector (ServiceContent.propertyCollector) for every wait at once: one
// filter per waiter, one WaitForUpdatesEx call per waiter in flight. vCenter serves that by
// version: each call gets what changed since the version it passes. The simulator keeps one queue
// of changes per collector instead, so concurrent waiters take each other's task updates and wait
// forever (a `pulumi up` with more than one VM at a time hung), and a filter destroyed while another
// waiter walks the filter list panics the request (the provider sees EOF).
//
// So WaitForUpdatesEx on that collector is answered here, by version as vCenter does: a version
// names a snapshot of what every filter of the collector selected, and a call returns the
// differences between the current state and the snapshot of the version it passed.

import (
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// A state: filter → object → property → its value and the value's encoding (for comparing).
type state map[types.ManagedObjectReference]map[types.ManagedObjectReference]map[string]property

type property struct {
	value any
	key   string
}

type versions struct {
	mu      sync.Mutex
	next    int
	states  map[string]state
	cancels map[*simulator.Session]chan struct{}
}

func newVersions() *versions {
	return &versions{states: map[string]state{}, cancels: map[*simulator.Session]chan struct{}{}}
}

// A long poll returns "nothing yet" after this long, and the client asks again. It bounds a poll
// whose client has gone away (the simulator cannot see a closed connection).
const longPoll = 60 * time.Second

// sharedCollector answers one WaitForUpdatesEx on a session's shared collector. Its reference is
// its own, so that the session dispatches the call to it rather than to the collector.
type sharedCollector struct {
	v    *versions
	pc   *simulator.PropertyCollector
	self types.ManagedObjectReference
}

func (w *sharedCollector) Reference() types.ManagedObjectReference { return w.self }

// Lock and Unlock opt out of the simulator's per-object lock around a call, as its own collector
// does: one long poll must not hold up the other waiters.
func (w *sharedCollector) Lock()   {}
func (w *sharedCollector) Unlock() {}

func (w *sharedCollector) WaitForUpdatesEx(ctx *simulator.Context, r *types.WaitForUpdatesEx) soap.HasFault {
	body := &methods.WaitForUpdatesExBody{Res: &types.WaitForUpdatesExResponse{}}
	wait := longPoll
	oneUpdate := false
	if r.Options != nil && r.Options.MaxWaitSeconds != nil {
		oneUpdate = *r.Options.MaxWaitSeconds == 0
		if s := time.Duration(*r.Options.MaxWaitSeconds) * time.Second; s > 0 && s < wait {
			wait = s
		}
	}
	deadline := time.Now().Add(wait)
	cancel := w.v.cancelled(ctx.Session)

	w.v.mu.Lock()
	prev := w.v.states[r.Version] // nil for "" or a version we never gave: everything enters
	w.v.mu.Unlock()
	for {
		cur := w.collect(ctx)
		if set := changes(prev, cur); len(set) > 0 {
			w.v.mu.Lock()
			w.v.next++
			version := fmt.Sprintf("filings-%d", w.v.next)
			w.v.states[version] = cur
			delete(w.v.states, r.Version) // the client moves on to the new version
			w.v.mu.Unlock()
			body.Res.Returnval = &types.UpdateSet{Version: version, FilterSet: set}
			return body
		}
		if oneUpdate || time.Now().After(deadline) {
			return body // no changes; the client asks again with the same version
		}
		select {
		case <-cancel:
			return &methods.WaitForUpdatesExBody{Fault_: simulator.Fault("", new(types.RequestCanceled))}
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// collect reads what each filter of the collector selects now. A filter destroyed meanwhile is skipped.
func (w *sharedCollector) collect(ctx *simulator.Context) state {
	out := state{}
	for _, ref := range append([]types.ManagedObjectReference(nil), w.pc.Filter...) {
		filter, ok := ctx.Session.Get(ref).(*simulator.PropertyFilter)
		if !ok {
			continue
		}
		objects := map[types.ManagedObjectReference]map[string]property{}
		res, ok := w.pc.RetrievePropertiesEx(ctx, &types.RetrievePropertiesEx{SpecSet: []types.PropertyFilterSpec{filter.Spec}}).(*methods.RetrievePropertiesExBody)
		if ok && res.Res != nil && res.Res.Returnval != nil {
			for _, obj := range res.Res.Returnval.Objects {
				props := map[string]property{}
				for _, p := range obj.PropSet {
					key, _ := json.Marshal(p.Val)
					props[p.Name] = property{value: p.Val, key: string(key)}
				}
				objects[obj.Obj] = props
			}
		}
		out[ref] = objects
	}
	return out
}

// changes: enter for objects new to a filter (every property), modify for changed properties, leave
// for objects gone; properties in name order, as vCenter reports them.
func changes(prev, cur state) []types.PropertyFilterUpdate {
	var set []types.PropertyFilterUpdate
	for filter, objects := range cur {
		update := types.PropertyFilterUpdate{Filter: filter}
		before := prev[filter]
		for obj, props := range objects {
			old, seen := before[obj]
			var change []types.PropertyChange
			for _, name := range sortedKeys(props) {
				if p, had := old[name]; !seen || !had || p.key != props[name].key {
					change = append(change, types.PropertyChange{Name: name, Op: types.PropertyChangeOpAssign, Val: props[name].value})
				}
			}
			switch {
			case !seen:
				update.ObjectSet = append(update.ObjectSet, types.ObjectUpdate{Kind: types.ObjectUpdateKindEnter, Obj: obj, ChangeSet: change})
			case len(change) > 0:
				update.ObjectSet = append(update.ObjectSet, types.ObjectUpdate{Kind: types.ObjectUpdateKindModify, Obj: obj, ChangeSet: change})
			}
		}
		for obj := range before {
			if _, still := objects[obj]; !still {
				update.ObjectSet = append(update.ObjectSet, types.ObjectUpdate{Kind: types.ObjectUpdateKindLeave, Obj: obj})
			}
		}
		if len(update.ObjectSet) > 0 {
			set = append(set, update)
		}
	}
	return set
}

func sortedKeys(m map[string]property) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// cancelled is closed by the session's next CancelWaitForUpdates on the shared collector.
func (v *versions) cancelled(s *simulator.Session) <-chan struct{} {
	v.mu.Lock()
	defer v.mu.Unlock()
	ch, ok := v.cancels[s]
	if !ok {
		ch = make(chan struct{})
		v.cancels[s] = ch
	}
	return ch
}

func (v *versions) cancel(s *simulator.Session) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if ch, ok := v.cancels[s]; ok {
		close(ch)
		delete(v.cancels, s)
	}
}

// The session's shared collector, as ServiceContent names it (simulator/vpx/service_content.go).
var sharedCollectorRef = types.ManagedObjectReference{Type: "PropertyCollector", Value: "propertyCollector"}

// shared routes WaitForUpdatesEx and CancelWaitForUpdates on a session's shared collector (see above).
func (f *fixes) shared(ctx *simulator.Context, method *simulator.Method) mo.Reference {
	if ctx.Session == nil || method.This != sharedCollectorRef {
		return nil
	}
	switch method.Body.(type) {
	case *types.CancelWaitForUpdates:
		f.versions.cancel(ctx.Session)
	case *types.WaitForUpdatesEx:
		pc, ok := ctx.Session.Get(method.This).(*simulator.PropertyCollector)
		if !ok {
			return nil
		}
		// A reference the session does not know, so that it dispatches the call to our object.
		self := types.ManagedObjectReference{Type: "FilingsSharedCollector", Value: method.This.Value}
		method.This = self
		return &sharedCollector{v: f.versions, pc: pc, self: self}
	}
	return nil
}
