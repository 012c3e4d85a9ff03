package data

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// listener is a connection that LISTENs on ChangeChannel, owned by Live alone.
type listener struct {
	conn *pgx.Conn
}

// wait blocks until a notification arrives or ctx ends. A ctx deadline leaves the connection
// usable (pgconn treats a timeout as non-fatal); any other error means it is gone.
func (ln *listener) wait(ctx context.Context) error {
	_, err := ln.conn.WaitForNotification(ctx)
	return err
}

func (ln *listener) alive() bool { return !ln.conn.IsClosed() }

func (ln *listener) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	ln.conn.Close(ctx) //nolint:errcheck // closing a connection we are done with
}
