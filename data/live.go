package data

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// ChangeChannel is the NOTIFY channel every write (import, status update) signals on commit.
const ChangeChannel = "mppmap_changed"

// Sink receives each newly loaded snapshot. It builds what the surfaces read from it (package
// figures) and makes it current; an error keeps the previous read model.
type Sink func(*Snapshot) error

// ReloadTimeout bounds one reload: a database that hangs mid-load must not leave an instance
// reloading forever while changes queue up behind it.
const ReloadTimeout = 2 * time.Minute

// Live keeps the read model in step with the database: it LISTENs for change notifications and
// loads a new snapshot on each, handing it to its sink. Public reads never wait on it; when the
// database is away the sink keeps serving the last good snapshot.
type Live struct {
	pool    *pgxpool.Pool
	log     *slog.Logger
	sink    Sink
	timeout time.Duration

	reloadMu sync.Mutex // one reload at a time
	mu       sync.Mutex
	state    LiveState
	observe  []func(error) // told the result of every reload (metrics)
}

// OnReload registers a function told the result of every reload (nil on success). Call it
// before Start.
func (l *Live) OnReload(f func(error)) { l.observe = append(l.observe, f) }

// LiveState is what Live knows about its last reloads, for readiness and metrics.
type LiveState struct {
	LoadedAt  time.Time // when the current snapshot was loaded; zero before the first
	Reloads   int       // successful reloads, the first included
	Failures  int       // failed reloads
	LastError string    // of the last reload; "" when it succeeded
	LastAt    time.Time // when the last reload finished
	Listening bool      // the change listener is connected
}

// NewLive returns a Live that hands each snapshot to sink. Call Start before serving.
func NewLive(pool *pgxpool.Pool, log *slog.Logger, sink Sink) *Live {
	return &Live{pool: pool, log: log, sink: sink, timeout: ReloadTimeout}
}

// State returns a copy of the reload state.
func (l *Live) State() LiveState {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.state
}

// Ping reports whether the database answers.
func (l *Live) Ping(ctx context.Context) error {
	if err := l.pool.Ping(ctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	return nil
}

// Start LISTENs first and loads the first snapshot second, so that no change committed in
// between is lost; then it keeps listening in the background until ctx ends. It returns the
// first load's error (the caller cannot serve without a read model).
func (l *Live) Start(ctx context.Context) error {
	ln, err := l.connect(ctx)
	if err != nil {
		return fmt.Errorf("listen for changes: %w", err)
	}
	if err := l.Reload(ctx); err != nil {
		ln.close()
		return err
	}
	go l.watch(ctx, ln)
	return nil
}

// Reload builds a new snapshot from the database and hands it to the sink.
func (l *Live) Reload(ctx context.Context) error {
	l.reloadMu.Lock()
	defer l.reloadMu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	start := time.Now()
	err := l.reload(ctx)
	l.mu.Lock()
	l.state.LastAt = time.Now()
	if err != nil {
		l.state.Failures++
		l.state.LastError = err.Error()
	} else {
		l.state.Reloads++
		l.state.LastError = ""
		l.state.LoadedAt = start
	}
	l.mu.Unlock()
	for _, f := range l.observe {
		f(err)
	}
	if err != nil {
		return err
	}
	// Building the read model (compressing bodies at high quality) leaves tens of MB of garbage;
	// a reload is rare, so hand it back to the OS now rather than carry it as RSS until the next
	// GC cycles decide to.
	debug.FreeOSMemory()
	l.log.Info("read model loaded", "took", time.Since(start).Round(time.Millisecond))
	return nil
}

func (l *Live) reload(ctx context.Context) error {
	s, err := LoadSnapshot(ctx, l.pool)
	if err != nil {
		return err
	}
	if err := l.sink(s); err != nil {
		return fmt.Errorf("build read model: %w", err)
	}
	return nil
}

// watch waits for notifications and reloads on each; a lost connection is retried with backoff,
// and after reconnecting it reloads once, since a change may have been missed while it was away.
func (l *Live) watch(ctx context.Context, ln *listener) {
	backoff := time.Second
	for {
		err := l.listen(ctx, ln)
		ln.close()
		l.setListening(false)
		if ctx.Err() != nil {
			return
		}
		for {
			l.log.Warn("change listener lost; retrying", "err", err, "in", backoff)
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, 30*time.Second)
			if ln, err = l.connect(ctx); err == nil {
				break
			}
		}
		l.log.Info("change listener reconnected")
		backoff = time.Second
		if err := l.Reload(ctx); err != nil {
			l.log.Error("reload after reconnect failed; keeping the previous read model", "err", err)
		}
	}
}

// listen reloads on every notification until the connection fails or ctx ends. Notifications
// that arrive together (a bulk update commits, an import follows) are drained first and cost one
// reload.
func (l *Live) listen(ctx context.Context, ln *listener) error {
	for {
		if err := ln.wait(ctx); err != nil {
			return err
		}
		for {
			dctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
			err := ln.wait(dctx)
			cancel()
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				if !errors.Is(err, context.DeadlineExceeded) && !ln.alive() {
					return err
				}
				break
			}
		}
		if err := l.Reload(ctx); err != nil {
			l.log.Error("reload after change failed; keeping the previous read model", "err", err)
		}
	}
}

func (l *Live) setListening(v bool) {
	l.mu.Lock()
	l.state.Listening = v
	l.mu.Unlock()
}

// connect takes a connection out of the pool for good and LISTENs on it: the LISTEN state must
// never return to the pool, where a query could land on it.
func (l *Live) connect(ctx context.Context) (*listener, error) {
	c, err := l.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	conn := c.Hijack()
	if _, err := conn.Exec(ctx, "LISTEN "+ChangeChannel); err != nil {
		conn.Close(context.Background()) //nolint:errcheck
		return nil, err
	}
	l.setListening(true)
	return &listener{conn: conn}, nil
}
