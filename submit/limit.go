package submit

import (
	"sync"
	"time"
)

// limiter counts submissions per client address and over all clients in fixed one-hour
// windows. It is in memory, per instance: behind n instances a client gets n times the limit,
// which the database's duplicate check and per-region cap bound anyway. Both surfaces (the
// region page's form and the API) go through the one Service, so they share it.
type limiter struct {
	mu       sync.Mutex
	window   time.Duration
	start    time.Time
	clients  map[string]int
	all      int
	perCli   int
	global   int
	maxTrack int
}

func newLimiter(perClient, global int) *limiter {
	return &limiter{window: time.Hour, clients: map[string]int{}, perCli: perClient, global: global, maxTrack: 50000}
}

// allow counts one submission from client at now, or says how long to wait.
func (l *limiter) allow(client string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.start) >= l.window || now.Before(l.start) {
		l.start, l.all = now, 0
		clear(l.clients)
	}
	wait := l.start.Add(l.window).Sub(now)
	if l.all >= l.global || l.clients[client] >= l.perCli {
		return false, wait
	}
	if len(l.clients) >= l.maxTrack {
		return false, wait // a flood of addresses: stop counting new ones rather than grow
	}
	l.all++
	l.clients[client]++
	return true, 0
}
