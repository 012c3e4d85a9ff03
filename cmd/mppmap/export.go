package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"mppmap/data"
)

const exportUsage = `usage: mppmap export -data DIR [-from FOLDER]

Writes the database as a release of the reference folder into DIR, which must not exist or be
empty (an export never overwrites). The ledger - codes/, mpp/*.csv,
fiscal/kapasitas_fiskal_provinsi_partial.csv and datasets.csv - is written from the tables, in
the reference folder's layout; every other file (boundaries, APBD and demography tables,
READMEs, sources) is copied unchanged from FOLDER, by default the folder of the last import,
and checked against the sha256 that import recorded.

-data is required here and MPPMAP_DATA is not read: it names the folder to write, not the one to
import. Database flags (-pgdata, -log-level, -log-format) and DATABASE_URL as for the other
commands.`

// exportCmd runs `mppmap export`: the way stewards' edits in the database become a new release
// of the reference folder. It parses its own flags (like the account commands) because -data
// must be given on the command line, which the shared config cannot tell from its default.
func exportCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var from string
	var set *flag.FlagSet
	cfg, err := parseConfig("export", args, getenv, stderr, func(fs *flag.FlagSet) {
		set = fs
		fs.StringVar(&from, "from", "", "folder to copy the files outside the ledger from (default: the folder of the last import)")
		fs.Usage = func() {
			fmt.Fprintln(stderr, exportUsage)
			fmt.Fprintln(stderr, "\nflags:")
			fs.PrintDefaults()
		}
	})
	if err != nil {
		return err
	}
	given := false
	set.Visit(func(f *flag.Flag) { given = given || f.Name == "data" })
	if !given {
		fmt.Fprintln(stderr, exportUsage)
		return errors.New("export: -data DIR is required: the new folder to write the release into")
	}

	var handler slog.Handler = slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel})
	if cfg.LogFormat == "json" {
		handler = slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel})
	}
	log := slog.New(handler)
	db, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.close(log)
	if err := data.Migrate(ctx, db.pool, log); err != nil {
		return err
	}
	rep, err := data.Export(ctx, db.pool, cfg.DataDir, data.ExportOptions{From: from}, log)
	if err != nil {
		return err
	}
	_, err = io.WriteString(stdout, rep.String())
	return err
}
