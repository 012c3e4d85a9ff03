package figures

import (
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"
)

// LRU keeps the most recently used values derived from a Model, for the long tail of bodies —
// a page, a profile, a share card per region and language — that Memo would keep for the
// Model's whole life: a crawler reading every region page once would otherwise leave ~1,000
// encoded pages (hundreds of MB) in memory until the next reload. Entries remember their Model,
// so a reload makes them stale without a sweep; concurrent first requests for one key share one
// build. The hot, bounded bodies (national pages and layers) stay in Memo.
type LRU[V any] struct {
	cache *lru.Cache[string, lruEntry[V]]
	mu    sync.Mutex
	busy  map[string]*lruCall[V]
}

type lruEntry[V any] struct {
	model *Model
	v     V
}

type lruCall[V any] struct {
	done  chan struct{}
	model *Model
	v     V
	err   error
}

// NewLRU returns an LRU of size entries (at least 1).
func NewLRU[V any](size int) *LRU[V] {
	c, _ := lru.New[string, lruEntry[V]](max(1, size)) // only errors for size < 1
	return &LRU[V]{cache: c, busy: map[string]*lruCall[V]{}}
}

// Get returns the value under key for m, building it when it is not cached for m. A failed
// build is not cached.
func (c *LRU[V]) Get(m *Model, key string, build func() (V, error)) (V, error) {
	if e, ok := c.cache.Get(key); ok && e.model == m {
		return e.v, nil
	}
	c.mu.Lock()
	if call, ok := c.busy[key]; ok && call.model == m {
		c.mu.Unlock()
		<-call.done
		return call.v, call.err
	}
	// A build that finished between the look above and the lock has cached its value and left
	// busy (it caches first): look again, or it is built twice.
	if e, ok := c.cache.Get(key); ok && e.model == m {
		c.mu.Unlock()
		return e.v, nil
	}
	call := &lruCall[V]{done: make(chan struct{}), model: m}
	c.busy[key] = call
	c.mu.Unlock()

	call.v, call.err = build()
	if call.err == nil {
		c.cache.Add(key, lruEntry[V]{model: m, v: call.v})
	}
	c.mu.Lock()
	if c.busy[key] == call {
		delete(c.busy, key)
	}
	c.mu.Unlock()
	close(call.done)
	return call.v, call.err
}

// Len is the number of entries kept (for tests and metrics).
func (c *LRU[V]) Len() int { return c.cache.Len() }
