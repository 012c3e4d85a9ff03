package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"mppmap/data"
)

// importCmd loads cfg.DataDir into the database in one transaction and prints the summary.
// On bad input it prints every problem as file:line: field: message and changes nothing.
func importCmd(ctx context.Context, cfg config, log *slog.Logger, stdout io.Writer) error {
	db, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.close(log)
	if err := data.Migrate(ctx, db.pool, log); err != nil {
		return err
	}
	rep, err := data.Import(ctx, db.pool, cfg.DataDir, log)
	if err != nil {
		return fmt.Errorf("import %s: nothing was written:\n%w", cfg.DataDir, err)
	}
	_, err = io.WriteString(stdout, rep.String())
	return err
}
