package data

import (
	"log/slog"
	"time"
)

// importProgress writes an import's progress lines at Info: "import: <stage>" with the stage's
// counts, how long it took and the time since the import began. The first import of the
// reference folder takes seconds, mostly in PostGIS; `mppmap import` and the first start of
// `mppmap serve` (hence `make run`) log through the same logger, so a newcomer sees it working
// instead of a silent terminal. A nil *importProgress or a nil logger writes nothing.
type importProgress struct {
	log         *slog.Logger
	start, last time.Time
}

func newImportProgress(log *slog.Logger, start time.Time) *importProgress {
	return &importProgress{log: log, start: start, last: start}
}

// done logs that stage finished; args are slog key-value pairs.
func (p *importProgress) done(stage string, args ...any) {
	if p == nil || p.log == nil {
		return
	}
	now := time.Now()
	args = append(args, "took", now.Sub(p.last).Round(time.Millisecond), "elapsed", now.Sub(p.start).Round(time.Millisecond))
	p.last = now
	p.log.Info("import: "+stage, args...)
}
