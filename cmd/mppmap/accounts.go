package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"mppmap/auth"
	"mppmap/data"
)

const accountUsage = `usage:
  mppmap user add -email E -role steward|admin [-unit U] [-password-stdin]
  mppmap user disable -email E
  mppmap token create -email E -name N
  mppmap token revoke -email E -name N

Database flags (-pgdata, -log-level) and DATABASE_URL as for the other commands.`

// accountCmd runs `mppmap user ...` and `mppmap token ...`: the accounts of data stewards,
// managed by whoever can run the binary on the server. Every change is audited with actor
// "cli". Secrets (a generated password, a token) go to stdout once, never to the log.
func accountCmd(ctx context.Context, group string, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, accountUsage)
		if len(args) > 0 && isHelp(args[0]) {
			return flag.ErrHelp
		}
		return fmt.Errorf("%s: no subcommand given", group)
	}
	cmd := group + " " + args[0]
	var email, role, unit, name string
	var passwordStdin bool
	var flags func(*flag.FlagSet)
	switch cmd {
	case "user add":
		flags = func(fs *flag.FlagSet) {
			fs.StringVar(&email, "email", "", "the user's e-mail address (required; stored lower-cased)")
			fs.StringVar(&role, "role", "", "steward (edits the ledger) or admin (also manages users) (required)")
			fs.StringVar(&unit, "unit", "", `ministry unit shown publicly instead of the e-mail, e.g. "Deputi Pelayanan Publik"`)
			fs.BoolVar(&passwordStdin, "password-stdin", false, "read the password from the first line of stdin; without it one is generated and printed once")
		}
	case "user disable":
		flags = func(fs *flag.FlagSet) {
			fs.StringVar(&email, "email", "", "the user's e-mail address (required)")
		}
	case "token create", "token revoke":
		flags = func(fs *flag.FlagSet) {
			fs.StringVar(&email, "email", "", "the e-mail address of the token's user (required)")
			fs.StringVar(&name, "name", "", `the token's name, unique per user, e.g. "ci" (required)`)
		}
	default:
		fmt.Fprintln(stderr, accountUsage)
		return fmt.Errorf("unknown command %q", cmd)
	}
	cfg, err := parseConfig(cmd, args[1:], getenv, stderr, flags)
	if err != nil {
		return err
	}

	// Check everything the database is not needed for before opening it.
	if strings.TrimSpace(email) == "" {
		return fmt.Errorf("%s: -email is required", cmd)
	}
	if email, err = data.NormalizeEmail(email); err != nil {
		return fmt.Errorf("%s: -email: %w", cmd, err)
	}
	var r data.Role
	var password string
	switch cmd {
	case "user add":
		if r, err = data.ParseRole(role); err != nil {
			return fmt.Errorf("%s: -role: %w", cmd, err)
		}
		if passwordStdin {
			if password, err = readPassword(stdin); err != nil {
				return fmt.Errorf("%s: %w", cmd, err)
			}
			if err := auth.CheckPolicy(password); err != nil {
				return fmt.Errorf("%s: %w", cmd, err)
			}
		}
	case "token create", "token revoke":
		if strings.TrimSpace(name) == "" {
			return fmt.Errorf("%s: -name is required", cmd)
		}
	}

	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	db, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.close(log)
	if err := data.Migrate(ctx, db.pool, log); err != nil {
		return err
	}
	by := data.CLIActor()

	switch cmd {
	case "user add":
		generated := password == ""
		if generated {
			password = auth.GeneratePassword()
		}
		hash, err := auth.HashPassword(password)
		if err != nil {
			return fmt.Errorf("%s: %w", cmd, err)
		}
		u, err := data.AddUser(ctx, db.pool, by, email, r, unit, hash)
		if err != nil {
			return fmt.Errorf("%s: %w", cmd, err)
		}
		fmt.Fprintf(stdout, "added %s %s (id %d, unit %q)\n", u.Role, u.Email, u.ID, u.Unit)
		if generated {
			fmt.Fprintln(stdout, "generated password, shown only now:")
			fmt.Fprintln(stdout, password)
		}
		return nil
	case "user disable":
		if err := data.DisableUser(ctx, db.pool, by, email); err != nil {
			return fmt.Errorf("%s: %w", cmd, err)
		}
		fmt.Fprintf(stdout, "disabled %s: its sessions are ended and its tokens revoked\n", email)
		return nil
	case "token create":
		u, err := data.UserByEmail(ctx, db.pool, email)
		if err != nil {
			return fmt.Errorf("%s: %w", cmd, err)
		}
		if u.Disabled {
			return fmt.Errorf("%s: user %s is disabled", cmd, email)
		}
		value, hash, shown := auth.NewToken()
		t, err := data.CreateToken(ctx, db.pool, by, u.ID, name, hash, shown)
		if err != nil {
			return fmt.Errorf("%s: %w", cmd, err)
		}
		fmt.Fprintf(stdout, "created token %q of %s (%s…); the token, shown only now:\n", t.Name, u.Email, t.Prefix)
		fmt.Fprintln(stdout, value)
		return nil
	default: // "token revoke"
		if err := data.RevokeToken(ctx, db.pool, by, email, name); err != nil {
			return fmt.Errorf("%s: %w", cmd, err)
		}
		fmt.Fprintf(stdout, "revoked token %q of %s\n", strings.TrimSpace(name), email)
		return nil
	}
}

// maxPasswordInput bounds what -password-stdin reads: the policy allows 256 characters of up
// to 4 bytes each, and a stray `< /dev/zero` must not fill memory.
const maxPasswordInput = 4 * auth.MaxPasswordLen

// readPassword returns the first line of stdin without its line ending (\n or \r\n). Spaces
// are kept: they may be part of a passphrase.
func readPassword(stdin io.Reader) (string, error) {
	if stdin == nil {
		return "", errors.New("-password-stdin: no standard input")
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, maxPasswordInput+1)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("-password-stdin: %w", err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if len(line) > maxPasswordInput {
		return "", fmt.Errorf("-password-stdin: %w: the first line is longer than %d bytes", auth.ErrWeakPassword, maxPasswordInput)
	}
	return line, nil
}

func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help"
}
