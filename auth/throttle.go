package auth

import (
	"container/list"
	"strings"
	"sync"
	"time"
)

// Throttle limits failed logins, counted separately per account (against guessing one
// steward's password from many addresses) and per client address (against one address trying
// many accounts). It is in memory, so each instance counts on its own: behind a load balancer
// of n instances an attacker gets at most n times the limits, which argon2id's cost keeps
// small. The clock is always passed in, so tests need no sleeping.
//
// Set the exported fields before first use; a zero field means its default. A Throttle is safe
// for concurrent use.
type Throttle struct {
	MaxPerAccount int           // failures per account within Window; default 5
	MaxPerClient  int           // failures per client within Window; default 20
	Window        time.Duration // default 15 minutes
	// MaxEntries caps the accounts and the clients remembered (each); when full, the one whose
	// last failure is oldest is forgotten. Default 10000: a few MB at most.
	MaxEntries int

	mu       sync.Mutex
	accounts failures
	clients  failures
}

// Defaults of Throttle's fields.
const (
	DefaultMaxPerAccount = 5
	DefaultMaxPerClient  = 20
	DefaultWindow        = 15 * time.Minute
	DefaultMaxEntries    = 10000
)

// Allow reports whether a login for account from client may be tried at now and, when not,
// how long until it may.
func (t *Throttle) Allow(account, client string, now time.Time) (ok bool, retryAfter time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.init()
	w := t.window()
	ra := t.accounts.blockedFor(normAccount(account), now, w, pick(t.MaxPerAccount, DefaultMaxPerAccount))
	rc := t.clients.blockedFor(client, now, w, pick(t.MaxPerClient, DefaultMaxPerClient))
	retryAfter = max(ra, rc)
	return retryAfter == 0, retryAfter
}

// Fail records a failed login for account from client at now.
func (t *Throttle) Fail(account, client string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.init()
	limit := pick(t.MaxEntries, DefaultMaxEntries)
	t.accounts.add(normAccount(account), now, pick(t.MaxPerAccount, DefaultMaxPerAccount), limit)
	t.clients.add(client, now, pick(t.MaxPerClient, DefaultMaxPerClient), limit)
}

// Succeed forgets account's failures after a successful login. The client's failures stay:
// otherwise an attacker holding one valid account could reset its address's count between
// guesses at the others.
func (t *Throttle) Succeed(account string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.init()
	t.accounts.remove(normAccount(account))
}

// Len returns how many accounts and clients the throttle remembers (for tests and metrics).
func (t *Throttle) Len() (accounts, clients int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.accounts.byKey), len(t.clients.byKey)
}

func (t *Throttle) init() {
	if t.accounts.byKey == nil {
		t.accounts = newFailures()
		t.clients = newFailures()
	}
}

func (t *Throttle) window() time.Duration {
	if t.Window > 0 {
		return t.Window
	}
	return DefaultWindow
}

func pick(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// normAccount makes "Ana@X.go.id " and "ana@x.go.id" one account, as data stores them.
func normAccount(a string) string { return strings.ToLower(strings.TrimSpace(a)) }

// failures remembers, per key, the times of its most recent failures (at most the limit, which
// is all that blocking needs), in a list ordered by last failure so the stalest is dropped first.
type failures struct {
	byKey map[string]*list.Element
	order *list.List // of *entry, oldest last failure at the front
}

type entry struct {
	key   string
	times []time.Time // ascending, at most the limit
}

func newFailures() failures {
	return failures{byKey: map[string]*list.Element{}, order: list.New()}
}

// blockedFor returns how long key stays blocked at now, 0 when it is not. Entries whose
// failures have all left the window are dropped on the way.
func (f *failures) blockedFor(key string, now time.Time, window time.Duration, limit int) time.Duration {
	el, ok := f.byKey[key]
	if !ok {
		return 0
	}
	e := el.Value.(*entry)
	e.times = inWindow(e.times, now, window)
	if len(e.times) == 0 {
		f.remove(key)
		return 0
	}
	if len(e.times) < limit {
		return 0
	}
	// Blocked until the oldest of the last `limit` failures leaves the window.
	return e.times[len(e.times)-limit].Add(window).Sub(now)
}

func (f *failures) add(key string, now time.Time, limit, maxEntries int) {
	if el, ok := f.byKey[key]; ok {
		e := el.Value.(*entry)
		e.times = append(e.times, now)
		if len(e.times) > limit {
			e.times = append(e.times[:0], e.times[len(e.times)-limit:]...)
		}
		f.order.MoveToBack(el)
		return
	}
	for len(f.byKey) >= maxEntries {
		f.remove(f.order.Front().Value.(*entry).key)
	}
	key = strings.Clone(key) // kept past the call: never a view into a caller's buffer
	f.byKey[key] = f.order.PushBack(&entry{key: key, times: []time.Time{now}})
}

func (f *failures) remove(key string) {
	if el, ok := f.byKey[key]; ok {
		f.order.Remove(el)
		delete(f.byKey, key)
	}
}

// inWindow drops the failures at or before now-window (times are ascending).
func inWindow(times []time.Time, now time.Time, window time.Duration) []time.Time {
	cutoff := now.Add(-window)
	i := 0
	for i < len(times) && !times[i].After(cutoff) {
		i++
	}
	return times[i:]
}
