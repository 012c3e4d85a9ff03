package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"mppmap/data"
	"mppmap/data/localpg"
)

// database is an open pool and how to let go of it (and of the private cluster, if we run one).
type database struct {
	pool    *pgxpool.Pool
	cluster *localpg.Cluster
}

// openDatabase connects to DATABASE_URL, or — the embedded default — starts the private
// cluster in cfg.PGData, creates the `mppmap` database in it once, and connects to that.
func openDatabase(ctx context.Context, cfg config, log *slog.Logger) (*database, error) {
	if cfg.DatabaseURL != "" {
		pool, err := data.Open(ctx, cfg.DatabaseURL)
		if err != nil {
			return nil, err
		}
		return &database{pool: pool}, nil
	}
	bin, err := localpg.Find(cfg.PGBinDir)
	if err != nil {
		return nil, err
	}
	cl, err := localpg.New(cfg.PGData, bin, log)
	if err != nil {
		return nil, err
	}
	if err := cl.Start(ctx); err != nil {
		return nil, err
	}
	db := &database{cluster: cl}
	if err := data.EnsureDatabase(ctx, cl.URL("postgres"), "mppmap"); err != nil {
		db.close(log)
		return nil, err
	}
	db.pool, err = data.Open(ctx, cl.URL("mppmap"))
	if err != nil {
		db.close(log)
		return nil, fmt.Errorf("private cluster: %w", err)
	}
	return db, nil
}

func (db *database) close(log *slog.Logger) {
	if db.pool != nil {
		db.pool.Close()
	}
	if db.cluster != nil {
		if err := db.cluster.Stop(context.Background()); err != nil {
			log.Error("stopping private PostgreSQL", "err", err)
		}
	}
}

func migrateCmd(ctx context.Context, cfg config, log *slog.Logger) error {
	db, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.close(log)
	return data.Migrate(ctx, db.pool, log)
}
