// Command mppmap maps Indonesia's rollout of Mal Pelayanan Publik: `serve` runs the web app and
// API, `import` loads a reference-data folder into PostGIS, `export` writes the database back as
// a new release of one, `migrate` applies the schema, and `user` and `token` manage the data
// stewards' accounts.
//
// All wiring lives here: configuration from flags and environment, the database (an existing
// server via DATABASE_URL, or a private PostGIS cluster of our own), the read model, the HTTP
// app and graceful shutdown.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	default:
		fmt.Fprintln(os.Stderr, "mppmap:", err)
		os.Exit(1)
	}
}

const usage = `usage: mppmap <command> [flags]

commands:
  serve    run the web app and API (default address 127.0.0.1:8080)
  import   load a reference-data folder into the database (all-or-nothing)
  export   write the database as a new release of the reference folder: export -data DIR
  migrate  apply database migrations
  user     add or disable a data steward's account:
             user add -email E -role steward|admin [-unit U] [-password-stdin]
             user disable -email E
  token    create or revoke a user's API token (the token is printed once):
             token create -email E -name N
             token revoke -email E -name N

Run "mppmap <command> -h" for the flags of a command.`

// run is main without the process: arguments, environment, input and output are passed in, so
// tests drive the real command. stdin is read only by `user add -password-stdin`.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve", "import", "migrate":
	case "user", "token":
		return accountCmd(ctx, args[0], args[1:], getenv, stdin, stdout, stderr)
	case "export":
		return exportCmd(ctx, args[1:], getenv, stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(stderr, usage)
		return flag.ErrHelp
	default:
		fmt.Fprintln(stderr, usage)
		return fmt.Errorf("unknown command %q", args[0])
	}
	cfg, err := parseConfig(args[0], args[1:], getenv, stderr, nil)
	if err != nil {
		return err
	}
	var handler slog.Handler = slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel})
	if cfg.LogFormat == "json" {
		handler = slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel})
	}
	log := slog.New(handler)
	switch args[0] {
	case "serve":
		return serve(ctx, cfg, log)
	case "import":
		return importCmd(ctx, cfg, log, stdout)
	default: // "migrate"
		return migrateCmd(ctx, cfg, log)
	}
}
