package refdata

import (
	"strings"
	"testing"
)

func testLedger() Ledger {
	return Ledger{
		Provinces: []Province{{Code: "32", Name: "Jawa Barat"}, {Code: "31", Name: "DKI Jakarta"}},
		Regions: []Region{{Code: "32.73", Name: "Kota Bandung", ProvinceCode: "32", Kind: "kota"},
			{Code: "32.04", Name: "Kabupaten Bandung", ProvinceCode: "32", Kind: "kabupaten"}},
		SourceIDs: []string{"S1", "S2"},
	}
}

// TestCheckStatusCSV: a bulk update's CSV meets the importer's rules row by row, and every
// problem names the file, the line and the column.
func TestCheckStatusCSV(t *testing.T) {
	const head = "code,mpp_status,status_as_of,first_known_date,evidence,source_ids,notes\n"
	ok := head + "32.73,yes,2024-05,,confirmed_named,S1;S2,\"a note, quoted\"\n32.04,unknown,,,no_source_found,,\n"
	rows, probs, _ := CheckStatusCSV("upload.csv", []byte(ok), testLedger())
	if len(probs) != 0 || len(rows) != 2 {
		t.Fatalf("valid CSV: %d rows, problems %v", len(rows), probs)
	}
	if rows[0].Status != StatusYes || rows[0].AsOf.String() != "2024-05" || rows[0].Line != 2 || rows[0].Note != "a note, quoted" ||
		strings.Join(rows[0].SourceIDs, ";") != "S1;S2" {
		t.Errorf("row 1 = %+v", rows[0])
	}
	for _, tc := range []struct {
		name, csv, want string
	}{
		{"status", head + "32.73,maybe,2024,,x,S1,\n", "upload.csv:2: mpp_status:"},
		{"unknown with source", head + "32.73,unknown,,,x,S1,\n", "upload.csv:2: source_ids: status unknown means no source"},
		{"yes without source", head + "32.73,yes,2024,,x,,\n", "upload.csv:2: source_ids: status yes needs at least one source"},
		{"date", head + "32.73,yes,2024-13,,x,S1,\n", "upload.csv:2: status_as_of:"},
		{"no date", head + "32.73,no,,,x,S1,\n", "upload.csv:2: status_as_of: empty"},
		{"source", head + "32.73,yes,2024,,x,S9,\n", `upload.csv:2: source_ids: source id "S9" does not exist`},
		{"region", head + "32.99,yes,2024,,x,S1,\n", "upload.csv:2: code:"},
		{"duplicate", head + "32.73,yes,2024,,x,S1,\n32.73,no,2024,,x,S1,\n", "upload.csv:3: code: duplicate key"},
		{"column", "code,mpp_status\n32.73,yes\n", `upload.csv:1: status_as_of: missing required column`},
		{"empty", head, "upload.csv: no rows"},
		{"ragged", head + "32.73,yes\n", "upload.csv:2: row has 2 fields"},
		{"utf8", head + "32.73,yes,2024,,x,S1,\xff\n", "upload.csv:2: not valid UTF-8"},
		{"evidence", head + "32.73,yes,2024,,,S1,\n", "upload.csv:2: evidence:"},
	} {
		_, probs, _ := CheckStatusCSV("upload.csv", []byte(tc.csv), testLedger())
		if !strings.Contains(probs.Error(), tc.want) {
			t.Errorf("%s: problems %q, want one containing %q", tc.name, probs.Error(), tc.want)
		}
	}
}

// TestCheckStatus: a form's or the API's status, checked field by field like a CSV row.
func TestCheckStatus(t *testing.T) {
	st, probs := CheckStatus(map[string]string{"code": "32.73", "mpp_status": "in_progress", "status_as_of": "<=2025-02-01",
		"evidence": "local_news", "source_ids": "S2", "notes": "<b>x</b>"}, testLedger())
	if len(probs) != 0 || st.Status != StatusInProgress || st.AsOf.String() != "<=2025-02-01" || st.Note != "<b>x</b>" {
		t.Fatalf("valid status: %+v %v", st, probs)
	}
	_, probs = CheckStatus(map[string]string{"code": "32.73", "mpp_status": "yes", "status_as_of": "", "evidence": "", "source_ids": ""}, testLedger())
	fields := map[string]bool{}
	for _, p := range probs {
		fields[p.Field] = true
		if p.File != "" || p.Line != 0 {
			t.Errorf("a form's problem names a file: %+v", p)
		}
	}
	for _, f := range []string{"status_as_of", "evidence", "source_ids"} {
		if !fields[f] {
			t.Errorf("no problem for %s in %v", f, probs)
		}
	}
}

func TestCheckSiteAndSource(t *testing.T) {
	s, probs := CheckSite(map[string]string{"province_code": "32", "regency_code": "32.73", "name": "MPP Kota Bandung",
		"inaugurated_on": "2022-08", "date_precision": "month", "evidence": "confirmed_named", "source_ids": "S1"}, testLedger())
	if len(probs) != 0 || s.Inaugurated.String() != "2022-08" || s.RegionCode != "32.73" {
		t.Errorf("valid site: %+v %v", s, probs)
	}
	_, probs = CheckSite(map[string]string{"province_code": "32", "regency_code": "32.73", "name": "MPP",
		"inaugurated_on": "2022-08", "date_precision": "day", "evidence": "x", "source_ids": "S1"}, testLedger())
	if !strings.Contains(probs.Error(), "date_precision") {
		t.Errorf("precision mismatch: %v", probs)
	}
	if _, probs = CheckSource(map[string]string{"id": "S3", "address": "https://example.org/a", "description": "Publisher - Title", "date": "2026-11"}, testLedger()); len(probs) != 0 {
		t.Errorf("valid source: %v", probs)
	}
	if _, probs = CheckSource(map[string]string{"id": "S2", "address": "https://example.org/a", "description": "x"}, testLedger()); !strings.Contains(probs.Error(), "exists already") {
		t.Errorf("existing id: %v", probs)
	}
	if _, probs = CheckSource(map[string]string{"id": "S3", "address": "", "description": "", "date": "<=2020"}, testLedger()); len(probs) != 2 {
		t.Errorf("empty source with a bound date: %v", probs)
	}
}
