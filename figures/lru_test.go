package figures

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

// TestLRU: one build per Model and key (concurrent first requests share it), a new Model
// rebuilds, a failed build is not kept, and the size bound evicts the least recently used.
func TestLRU(t *testing.T) {
	c := NewLRU[int](2)
	m1, m2 := &Model{}, &Model{}
	var builds atomic.Int32
	build := func(v int) func() (int, error) {
		return func() (int, error) { builds.Add(1); return v, nil }
	}
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, err := c.Get(m1, "a", build(1)); err != nil || v != 1 {
				t.Errorf("get: %d %v", v, err)
			}
		}()
	}
	wg.Wait()
	if n := builds.Load(); n != 1 {
		t.Errorf("%d builds for one key and Model, want 1", n)
	}
	if v, _ := c.Get(m2, "a", build(2)); v != 2 || builds.Load() != 2 {
		t.Errorf("a new Model got %d (builds %d)", v, builds.Load())
	}
	if _, err := c.Get(m2, "b", func() (int, error) { return 0, errors.New("x") }); err == nil {
		t.Error("error lost")
	}
	if v, _ := c.Get(m2, "b", build(3)); v != 3 {
		t.Errorf("a failed build was kept: %d", v)
	}
	c.Get(m2, "c", build(4))
	if c.Len() != 2 {
		t.Errorf("len %d, want the bound 2", c.Len())
	}
	before := builds.Load()
	c.Get(m2, "a", build(2)) // evicted: built again
	if builds.Load() != before+1 {
		t.Error("the least recently used entry was not evicted")
	}
}
