package data

import (
	"time"

	"mppmap/data/pdate"
)

// Status is a region's MPP status. The four states are distinct everywhere: Unknown means no
// source has been found yet, never "no MPP".
type Status string

// The four statuses, in the order legends list them.
const (
	StatusYes        Status = "yes"
	StatusInProgress Status = "in_progress"
	StatusNo         Status = "no"
	StatusUnknown    Status = "unknown"
)

// Statuses lists the four statuses in legend order.
var Statuses = [...]Status{StatusYes, StatusInProgress, StatusNo, StatusUnknown}

// Valid reports whether s is one of the four statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusYes, StatusInProgress, StatusNo, StatusUnknown:
		return true
	}
	return false
}

// Level is a detail level of the simplified coverage.
type Level string

// Detail levels: national (whole country on one screen), province, full (a region's own page).
const (
	LevelNational Level = "national"
	LevelProvince Level = "province"
	LevelFull     Level = "full"
)

// Levels lists the detail levels from coarsest to finest.
var Levels = [...]Level{LevelNational, LevelProvince, LevelFull}

// Province is one of the 38 provinces.
type Province struct {
	Code           string
	Name           string
	KabupatenCount int
	KotaCount      int
}

// Region is one of the 514 kabupaten/kota with its current MPP status.
type Region struct {
	Code         string // Kemendagri code, "32.73"
	Name         string // "Kota Bandung"
	ProvinceCode string
	ProvinceName string
	Kind         string // kabupaten | kota
	AreaKm2      float64

	Status     Status
	StatusAsOf pdate.Date // zero when unknown
	FirstKnown pdate.Date
	Evidence   string
	SourceIDs  []string
	Note       string
}

// Source is one cited document (mpp/sources.csv).
type Source struct {
	ID          string
	Address     string
	Description string
	Published   pdate.Date // zero when the source carries no date
	DateNote    string
}

// DatasetFile is the provenance of one imported file.
type DatasetFile struct {
	Path        string
	SHA256      string
	Title       string
	Publisher   string
	Licence     string
	Attribution string
	Upstream    string
	AsOf        string
	ImportedAt  time.Time
}
