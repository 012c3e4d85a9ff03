package data

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// ChangeChannel is the NOTIFY channel every write (import, status update) signals on commit.
const ChangeChannel = "mppmap_changed"

// Live holds the current read model and replaces it when the data changes. Public reads take
// the pointer and never wait on the database; when the database is away they keep serving the
// last good snapshot.
type Live struct {
	pool *pgxpool.Pool
	log  *slog.Logger
	cur  atomic.Pointer[Snapshot]
}

// NewLive returns a Live with no snapshot yet; call Reload before serving.
func NewLive(pool *pgxpool.Pool, log *slog.Logger) *Live {
	return &Live{pool: pool, log: log}
}

// Snapshot returns the current read model, or nil before the first load.
func (l *Live) Snapshot() *Snapshot { return l.cur.Load() }

// Reload builds a new snapshot from the database and swaps it in.
func (l *Live) Reload(ctx context.Context) error {
	start := time.Now()
	s, err := LoadSnapshot(ctx, l.pool)
	if err != nil {
		return err
	}
	l.cur.Store(s)
	// Building the snapshot (brotli and gzip at high quality) leaves tens of MB of garbage; a
	// reload is rare, so hand it back to the OS now rather than carry it as RSS until the next GC
	// cycles decide to.
	debug.FreeOSMemory()
	l.log.Info("read model loaded", "regions", len(s.Regions), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// Ready reports whether a snapshot is loaded and the database answers.
func (l *Live) Ready(ctx context.Context) error {
	if l.cur.Load() == nil {
		return errors.New("read model not loaded")
	}
	if err := l.pool.Ping(ctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	return nil
}

// Watch listens for change notifications and reloads on each, until ctx ends. A lost
// connection is retried with backoff; after reconnecting it reloads once, since a change may
// have been missed while it was away.
func (l *Live) Watch(ctx context.Context) {
	backoff := time.Second
	for ctx.Err() == nil {
		err := l.listen(ctx)
		if ctx.Err() != nil {
			return
		}
		l.log.Warn("change listener lost; retrying", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 30*time.Second)
		if err := l.Reload(ctx); err != nil {
			l.log.Warn("reload after reconnect failed", "err", err)
		}
	}
}

func (l *Live) listen(ctx context.Context) error {
	conn, err := l.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "LISTEN "+ChangeChannel); err != nil {
		return err
	}
	for {
		if _, err := conn.Conn().WaitForNotification(ctx); err != nil {
			// The connection's LISTEN state must not return to the pool.
			conn.Conn().Close(context.Background()) //nolint:errcheck
			return err
		}
		if err := l.Reload(ctx); err != nil {
			l.log.Error("reload after change failed; keeping the previous read model", "err", err)
		}
	}
}
