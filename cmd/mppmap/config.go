package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
)

// config is everything the commands read from flags and environment. Flags win over
// environment variables, which win over defaults.
type config struct {
	Addr        string // MPPMAP_ADDR
	DatabaseURL string // DATABASE_URL; empty = embedded cluster
	DataDir     string // MPPMAP_DATA
	PGData      string // MPPMAP_PGDATA
	PGBinDir    string // PG_BINDIR
	// TrustedProxies are the load balancers whose X-Forwarded-For names the client
	// (MPPMAP_TRUSTED_PROXIES, comma-separated IPs or CIDRs). Without them behind a proxy,
	// every client would share one rate-limit bucket.
	TrustedProxies []string
	LogLevel       slog.Level
	// LogFormat is "text" or "json" (MPPMAP_LOG_FORMAT): JSON for a log collector.
	LogFormat string
	// MetricsAddr serves /metrics in Prometheus text format on an address of its own
	// (MPPMAP_METRICS_ADDR); empty: no metrics endpoint. Apart from the public address so a
	// load balancer never exposes it.
	MetricsAddr string
	PublicURL   string // for absolute share-card URLs; "" gives site-absolute ones
}

// parseConfig reads the flags every command shares; extra, when not nil, registers the flags
// of one command (the account commands' -email, -role, …) on the same set.
func parseConfig(cmd string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (config, error) {
	def := func(env, fallback string) string {
		if v := getenv(env); v != "" {
			return v
		}
		return fallback
	}
	c := config{}
	fs := flag.NewFlagSet("mppmap "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", def("MPPMAP_ADDR", "127.0.0.1:8080"), "listen address (env MPPMAP_ADDR)")
	fs.StringVar(&c.DataDir, "data", def("MPPMAP_DATA", "../shared/data"), "reference data folder (env MPPMAP_DATA)")
	fs.StringVar(&c.PGData, "pgdata", def("MPPMAP_PGDATA", ".mppmap"), "data directory of the private PostgreSQL cluster used when DATABASE_URL is unset (env MPPMAP_PGDATA)")
	proxies := fs.String("trusted-proxies", def("MPPMAP_TRUSTED_PROXIES", ""), "comma-separated IPs/CIDRs of reverse proxies whose X-Forwarded-For is trusted (env MPPMAP_TRUSTED_PROXIES)")
	level := fs.String("log-level", def("MPPMAP_LOG_LEVEL", "info"), "debug, info, warn or error (env MPPMAP_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", def("MPPMAP_LOG_FORMAT", "text"), "text or json (env MPPMAP_LOG_FORMAT)")
	fs.StringVar(&c.PublicURL, "public-url", def("MPPMAP_PUBLIC_URL", ""), "the site's public address, e.g. https://mpp.example.go.id, for absolute share-card URLs (env MPPMAP_PUBLIC_URL)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", def("MPPMAP_METRICS_ADDR", ""), "serve /metrics (Prometheus) on this address, e.g. 127.0.0.1:9090; off when empty (env MPPMAP_METRICS_ADDR)")
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err := c.LogLevel.UnmarshalText([]byte(strings.ToUpper(*level))); err != nil {
		return c, fmt.Errorf("-log-level: %w", err)
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			return c, fmt.Errorf("-public-url: %q, want scheme and host only, e.g. https://mpp.example.go.id", c.PublicURL)
		}
		c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return c, fmt.Errorf("-log-format: %q, want text or json", c.LogFormat)
	}
	for _, p := range strings.Split(*proxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	c.DatabaseURL = getenv("DATABASE_URL")
	c.PGBinDir = getenv("PG_BINDIR")
	return c, nil
}
