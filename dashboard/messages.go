package dashboard

import (
	"strconv"
	"strings"

	"mppmap/data"
)

// messages holds every user-visible string of the dashboard in one language. Pages take their
// words from here only, so English (/en) is one more constructor, not a template fork.
type messages struct {
	Lang          string // BCP 47 tag for <html lang> and pdate.Format
	Prefix        string // URL prefix of the language: "" (id, the default) or "/en"
	EChartsLocale string // locale registered in web/src (echarts.registerLocale); EN is built in
	DecimalSep    string
	OtherLang     string // label of the switch to the other language, in that language
	OtherLangTag  string

	SiteName  string
	HomeTitle string
	HomeLead  string
	Statuses  map[data.Status]string
	Kinds     map[string]string

	NavHome, NavMethod string
	NavFiscal          string
	F                  fiscalMsgs        // the /fiskal page
	P                  progressMsgs      // the progress report on /progres
	Evidence           map[string]string // evidence code → label (evidence.go)

	HeadlineTitle    string
	DenominatorShort string // fmt: count, total
	DataAsOf         string
	MapLabel         string
	MapLoading       string
	MapNoScript      string
	MapError         string
	MapHint          string
	TableSummary     string
	ColRegion        string
	ColProvince      string
	ColStatus        string
	ColAsOf          string
	ColKind          string
	ColCount         string
	ColShare         string
	ColRank          string
	NoDate           string
	TooltipProvince  string
	TooltipStatus    string
	TooltipAsOf      string
	TooltipSource    string
	TooltipPast      string // the source line of a status at a past date (time slider)
	ShareLine        string // fmt: with MPP, units, share, denominator
	DenomBSKDN       string
	DenomKemenPANRB  string
	ProvincesLine    string // fmt: fully covered, none recorded, provinces
	HeadlineSource   string
	AriaDescription  string // fmt: total, date, then one count per status in legend order
	DownloadCSV      string
	DownloadAllCSV   string
	DownloadAllGeo   string
	DownloadPNG      string
	FooterBoundaries string
	FooterData       string
	FooterImported   string
	FooterSources    string
	FooterMethod     string

	SearchLabel       string
	SearchPlaceholder string
	SearchNone        string
	SearchShowOnMap   string
	RankingTitle      string
	RankingNote       string

	// Province page.
	ProvinceTitle   string // fmt: name
	ProvinceLead    string // fmt: regions, with MPP, share
	ProvinceRank    string // fmt: rank, of
	ProvinceMapDesc string // fmt: name, date, counts per status
	RegionsTable    string

	// Region page.
	RegionStatus     string
	RegionEvidence   string
	RegionNote       string
	RegionFirstKnown string
	RegionSources    string
	RegionNoSources  string
	RegionHistory    string
	RegionNoHistory  string
	RegionLocator    string
	RegionLocDesc    string // fmt: region, province
	RegionThis       string // fmt: region; the locator map's legend entry for the region
	RegionInProvince string // fmt: kind, province
	PeersTitle       string
	PeersGroup       string
	PeersHave        string
	PeersNeighbours  string
	PeersNone        string
	LearnFrom        string
	IndicatorsTitle  string
	IndicatorsNote   string
	RankOf           string // fmt: position, of
	LearnFromNone    string
	SourcePublished  string
	SourceNoDate     string
	ProvinceLink     string // fmt: province

	NotFoundTitle string
	NotFoundText  string

	// Method page.
	MethodTitle string
	MethodHTML  []methodSection

	EmbedLink string

	NavProgress          string
	ProgressTitle        string
	ProgressLead         string // fmt: count, date
	ValueTypes           map[string]string
	SeriesStated         string
	SeriesApprox         string
	SeriesSites          string
	SeriesProjection     string // fmt: pace per month
	SeriesTargets        string
	GoalRegions          string // fmt: number of kab/kota
	GoalUnits            string // fmt: number of units in KemenPANRB's count
	TargetAll            string
	TargetAutonomous     string
	ProgressAria         string
	ProvinceProgressAria string // fmt: province name, number of kab/kota
	PaceTitle            string
	Pace12               string
	ETALabel             string
	ProgressNote         string
	CountsTable          string
	ColDate              string
	ColCumulative        string
	ColValueType         string
	TargetsTitle         string
	ColSetBy             string
	ColTarget            string
	ColScope             string
	ColOutcome           string
	MethodLabel          string

	ChangesTitle            string
	ProgressFull            string
	ProvinceProgressHeading string // fmt: province name
	ProvinceProgressLead    string // fmt: count, date
	ScopeLabel              string
	ScopeAll                string
	ScopeGo                 string
	ProvinceProgressTitle   string
	ProvinceCountsTable     string
	TimeLabel               string
	TimePlay                string
	TimePause               string
	TimeNow                 string
	TimeNote                string
}

// methodSection is one heading and its paragraphs of the method page; plain text, escaped.
type methodSection struct {
	Title string
	Paras []string
}

// lang returns the messages of the request's language: English under /en, else Indonesian.
func (h *Handler) lang(en bool) *messages {
	if en {
		return h.msgsEN
	}
	return h.msgs
}

// path prefixes a site path with the language's prefix, so every link keeps the language.
func (m *messages) path(p string) string {
	if m.Prefix == "" {
		return p
	}
	if p == "/" {
		return m.Prefix
	}
	return m.Prefix + p
}

// messagesID is Bahasa Indonesia, the default language.
func messagesID() *messages {
	return &messages{
		Lang:          "id",
		EChartsLocale: "ID",
		DecimalSep:    ",",
		OtherLang:     "English",
		OtherLangTag:  "en",
		SiteName:      "Peta MPP",
		HomeTitle:     "Peta Mal Pelayanan Publik (MPP) per kabupaten/kota",
		HomeLead:      "Status MPP di setiap kabupaten/kota di Indonesia, dengan sumber dan tanggalnya.",
		Statuses: map[data.Status]string{
			data.StatusYes:        "Sudah ada MPP",
			data.StatusInProgress: "Dalam persiapan",
			data.StatusNo:         "Belum ada MPP (bersumber)",
			data.StatusUnknown:    "Belum diketahui (belum ada sumber)",
		},
		Kinds:            map[string]string{"kabupaten": "kabupaten", "kota": "kota"},
		NavHome:          "Peta nasional",
		NavMethod:        "Metodologi",
		NavFiscal:        "Fiskal",
		F:                fiscalMsgsID(),
		P:                progressMsgsID(),
		Evidence:         evidenceLabels("id"),
		HeadlineTitle:    "Ringkasan",
		DenominatorShort: "%d dari %d kabupaten/kota",
		DataAsOf:         "Data per",
		MapLabel:         "Peta status MPP per kabupaten/kota",
		MapLoading:       "Memuat peta…",
		MapNoScript:      "Peta memerlukan JavaScript. Tabel di bawah memuat data yang sama.",
		MapError:         "Peta gagal dimuat. Tabel di bawah memuat data yang sama.",
		MapHint:          "Klik wilayah untuk membuka halamannya. Klik legenda untuk menyembunyikan atau menampilkan satu status.",
		TableSummary:     "Tabel data peta (%d kabupaten/kota)",
		ColRegion:        "Kabupaten/kota",
		ColProvince:      "Provinsi",
		ColStatus:        "Status MPP",
		ColAsOf:          "Per tanggal",
		ColKind:          "Jenis",
		ColCount:         "Kab/kota",
		ColShare:         "Sudah ada MPP",
		ColRank:          "Peringkat",
		NoDate:           "—",
		TooltipProvince:  "Provinsi",
		TooltipStatus:    "Status",
		TooltipAsOf:      "Per",
		TooltipSource:    "Sumber",
		TooltipPast:      "tanggal lokasi MPP dan riwayat status (lihat Metodologi)",
		ShareLine:        "%d dari %d %s punya MPP: %s",
		DenomBSKDN:       "kabupaten/kota (penyebut BSKDN Kemendagri)",
		DenomKemenPANRB:  "unit (penyebut KemenPANRB: 508 kab/kota otonom + DKI Jakarta sekali)",
		ProvincesLine:    "%d provinsi sudah penuh (semua kab/kota punya MPP); %d provinsi belum punya MPP yang tercatat; dari %d provinsi.",
		HeadlineSource:   "Sumber: status per kabupaten/kota dari rilis KemenPANRB, Kemendagri dan berita; setiap wilayah mencantumkan sumber dan tanggalnya (tabel di bawah peta, halaman wilayah).",
		AriaDescription:  "Peta status Mal Pelayanan Publik di %d kabupaten/kota Indonesia, data per %s: %d sudah ada MPP, %d dalam persiapan, %d belum ada MPP menurut sumber, dan %d belum diketahui karena belum ada sumber. Tabel data di bawah peta memuat setiap wilayah.",
		DownloadCSV:      "Unduh CSV tabel ini",
		DownloadAllCSV:   "Semua wilayah (CSV)",
		DownloadAllGeo:   "Semua wilayah (GeoJSON)",
		DownloadPNG:      "Unduh grafik (PNG)",
		FooterBoundaries: "Batas wilayah: © 2024 Cahya DSN (github.com/cahyadsn/wilayah_boundaries), MIT",
		FooterData:       "Status MPP dihimpun dari rilis KemenPANRB, Kemendagri dan berita; setiap wilayah mencantumkan sumbernya. Data per",
		FooterImported:   "diperbarui",
		FooterSources:    "Sumber data",
		FooterMethod:     "Metodologi dan keterbatasan data",

		SearchLabel:       "Cari kabupaten/kota atau provinsi",
		SearchPlaceholder: "mis. Kota Bandung",
		SearchNone:        "Tidak ditemukan",
		SearchShowOnMap:   "tunjukkan di peta",
		RankingTitle:      "Peringkat provinsi",
		RankingNote:       "Diurutkan menurut persentase kabupaten/kota yang sudah ada MPP (penyebut: kabupaten/kota di provinsi itu).",

		ProvinceTitle:   "Provinsi %s",
		ProvinceLead:    "%d dari %d kabupaten/kota sudah ada MPP (%s).",
		ProvinceRank:    "Peringkat %d dari %d provinsi menurut persentase kabupaten/kota yang sudah ada MPP.",
		ProvinceMapDesc: "Peta status MPP di Provinsi %s, data per %s: %d sudah ada MPP, %d dalam persiapan, %d belum ada MPP menurut sumber, %d belum diketahui.",
		RegionsTable:    "Kabupaten/kota di provinsi ini",

		RegionStatus:     "Status MPP",
		RegionEvidence:   "Bukti",
		RegionNote:       "Catatan",
		RegionFirstKnown: "Pertama tercatat",
		RegionSources:    "Sumber",
		RegionNoSources:  "Belum ada sumber untuk wilayah ini.",
		RegionHistory:    "Riwayat status",
		RegionNoHistory:  "Belum ada perubahan status yang tercatat.",
		RegionLocator:    "Peta lokasi",
		RegionLocDesc:    "Peta lokasi %s di Provinsi %s, dengan status MPP kabupaten/kota di sekitarnya.",
		RegionThis:       "%s (wilayah ini)",
		RegionInProvince: "%s di Provinsi %s",
		PeersTitle:       "Perbandingan dengan wilayah sebanding",
		PeersGroup:       "Kelompok pembanding",
		PeersHave:        "Sudah ada MPP",
		PeersNeighbours:  "Tetangga (berbatasan langsung)",
		PeersNone:        "Tidak ada pembanding.",
		LearnFrom:        "Wilayah sebanding yang sudah ada MPP (untuk belajar)",
		IndicatorsTitle:  "Indikator dibandingkan dengan median kelompok pembanding",
		IndicatorsNote:   "Median tiap kelompok pembanding (tanpa wilayah ini) pada periode terbaru data; n = jumlah pembanding yang memiliki data; peringkat di antara wilayah ini dan pembandingnya, 1 = nilai tertinggi. Angka yang sama dengan profil wilayah di API. Tanpa data ditampilkan sebagai —, bukan nol.",
		RankOf:           "peringkat %d dari %d",
		LearnFromNone:    "Belum ada wilayah sebanding yang sudah ada MPP.",
		SourcePublished:  "terbit",
		SourceNoDate:     "tanpa tanggal",
		ProvinceLink:     "Halaman Provinsi %s",

		NotFoundTitle: "Halaman tidak ditemukan",
		NotFoundText:  "Tidak ada kabupaten/kota atau provinsi dengan kode ini. Cari wilayah di peta nasional.",

		MethodTitle: "Metodologi, sumber dan keterbatasan data",
		MethodHTML: []methodSection{
			{"Empat status", []string{
				"Sudah ada MPP: ada sumber yang menyatakan MPP wilayah ini telah diresmikan atau beroperasi.",
				"Dalam persiapan: ada sumber tentang persiapan (peraturan, gedung, rencana peresmian), belum beroperasi.",
				"Belum ada MPP (bersumber): ada sumber yang menyatakan wilayah ini belum memiliki MPP pada tanggal tertentu.",
				"Belum diketahui: belum ada sumber. Status ini tidak pernah dihitung atau digambar sebagai \"belum ada MPP\".",
			}},
			{"Dua penyebut", []string{
				"BSKDN Kemendagri menghitung dari 514 kabupaten/kota. KemenPANRB menghitung dari 508 kabupaten/kota otonom ditambah satu MPP provinsi DKI Jakarta (kota administrasi di Jakarta bukan daerah otonom). Setiap persentase di situs ini menyebut penyebutnya.",
			}},
			{"Tanggal dan presisinya", []string{
				"Tanggal ditampilkan sepresisi sumbernya: hari, bulan, tahun, atau \"paling lambat\" bila sumber hanya menyatakan sudah ada pada tanggal terbitnya. Situs ini tidak mengarang tanggal yang lebih rinci.",
			}},
			{"Kapasitas fiskal", []string{
				"Kelompok kapasitas fiskal adalah hitungan kami sendiri dari data yang tersedia (proksi), bukan kategori resmi Kementerian Keuangan. Wilayah tanpa data ditampilkan sebagai tanpa data, tidak pernah sebagai nilai rendah.",
			}},
			{"Kemajuan menuju target", []string{
				"Kategori kemajuan mengikuti metode pelaporan Open SDG: laju saat ini dibandingkan dengan laju yang diperlukan untuk mencapai target (sesuai target / perlu percepatan / kemajuan terbatas / kemunduran).",
			}},
		},
		EmbedLink: "Buka peta lengkap di Peta MPP",

		NavProgress:             "Kemajuan",
		ProgressTitle:           "Kemajuan nasional menuju target",
		ProgressLead:            "Angka terakhir yang dinyatakan: %d MPP per %s. Setiap angka dari sumbernya; angka yang berbeda untuk tanggal yang sama ditampilkan berdampingan.",
		ValueTypes:              map[string]string{data.ValueStated: "dinyatakan", data.ValueStatedApprox: "dinyatakan (perkiraan)", data.ValueDerived: "diturunkan", data.ValueUnknown: "tidak dinyatakan"},
		SeriesStated:            "Jumlah MPP (dinyatakan)",
		SeriesApprox:            "Perkiraan / diturunkan",
		SeriesSites:             "Dari lokasi MPP bertanggal",
		SeriesProjection:        "Proyeksi pada laju 12 bulan terakhir (%s MPP/bulan)",
		SeriesTargets:           "Target cakupan penuh (batas waktu)",
		GoalRegions:             "%d kab/kota",
		GoalUnits:               "%d unit (hitungan KemenPANRB)",
		TargetAll:               "514 kab/kota (BSKDN)",
		TargetAutonomous:        "508 otonom + DKI (KemenPANRB)",
		ProvinceProgressAria:    "Grafik garis jumlah kumulatif MPP di %s menurut tanggal peresmian lokasi MPP yang tercatat, dengan garis %d kabupaten/kota dan proyeksi pada laju 12 bulan terakhir. Tabel di bawah memuat setiap titik.",
		ProgressAria:            "Grafik garis jumlah kumulatif MPP secara nasional menurut sumber resmi, dengan garis target 514 kabupaten/kota dan 509 (508 otonom ditambah DKI Jakarta). Tabel di bawah memuat setiap angka dengan sumbernya.",
		PaceTitle:               "Laju dan perkiraan",
		Pace12:                  "Laju 12 bulan terakhir (MPP per bulan)",
		ETALabel:                "Semua %d kab/kota punya MPP (pada laju 12 bulan terakhir)",
		ProgressNote:            "Hitungan kami dari angka yang dinyatakan sumber; metode di bawah.",
		CountsTable:             "Tabel data grafik: semua angka nasional dengan sumbernya",
		ColDate:                 "Tanggal",
		ColCumulative:           "Jumlah kumulatif",
		ColValueType:            "Jenis angka",
		TargetsTitle:            "Target resmi (sebagaimana diterbitkan)",
		ColSetBy:                "Penetap",
		ColTarget:               "Target",
		ColScope:                "Cakupan",
		ColOutcome:              "Catatan capaian",
		MethodLabel:             "Metode",
		ChangesTitle:            "Perubahan terakhir",
		ProgressFull:            "Laporan kemajuan lengkap: semua angka, target dan metode",
		ProvinceProgressHeading: "Kemajuan di Provinsi %s",
		ProvinceProgressLead:    "Jumlah MPP menurut lokasi bertanggal: %d per %s. Angka nasional yang dinyatakan sumber tidak dirinci per provinsi.",
		ScopeLabel:              "Wilayah",
		ScopeAll:                "Seluruh Indonesia",
		ScopeGo:                 "Tampilkan",
		ProvinceProgressTitle:   "Kemajuan di provinsi ini",
		ProvinceCountsTable:     "Tabel data grafik: jumlah kumulatif dari lokasi MPP bertanggal",
		TimeLabel:               "Status per",
		TimePlay:                "Putar",
		TimePause:               "Jeda",
		TimeNow:                 "terkini",
		TimeNote:                "Geser untuk melihat status pada akhir bulan di masa lalu. Tanggal yang kurang presisi untuk hari itu ditampilkan sebagai belum diketahui, bukan sebagai belum ada MPP.",
	}
}

// messagesEN is English.
func messagesEN() *messages {
	return &messages{
		Lang:          "en",
		Prefix:        "/en",
		EChartsLocale: "EN",
		DecimalSep:    ".",
		OtherLang:     "Bahasa Indonesia",
		OtherLangTag:  "id",
		SiteName:      "MPP Map",
		HomeTitle:     "Map of Public Service Malls (MPP) by regency and city",
		HomeLead:      "The MPP status of every regency and city (kabupaten/kota) in Indonesia, with its source and date.",
		Statuses: map[data.Status]string{
			data.StatusYes:        "Has an MPP",
			data.StatusInProgress: "In preparation",
			data.StatusNo:         "No MPP (sourced)",
			data.StatusUnknown:    "Unknown (no source yet)",
		},
		Kinds:            map[string]string{"kabupaten": "regency", "kota": "city"},
		NavHome:          "National map",
		NavMethod:        "Method",
		NavFiscal:        "Fiscal",
		F:                fiscalMsgsEN(),
		P:                progressMsgsEN(),
		Evidence:         evidenceLabels("en"),
		HeadlineTitle:    "Summary",
		DenominatorShort: "%d of %d regencies/cities",
		DataAsOf:         "Data as of",
		MapLabel:         "Map of MPP status by regency and city",
		MapLoading:       "Loading the map…",
		MapNoScript:      "The map needs JavaScript. The table below holds the same data.",
		MapError:         "The map failed to load. The table below holds the same data.",
		MapHint:          "Click a region to open its page. Click the legend to hide or show a status.",
		TableSummary:     "Map data as a table (%d regencies and cities)",
		ColRegion:        "Regency/city",
		ColProvince:      "Province",
		ColStatus:        "MPP status",
		ColAsOf:          "As of",
		ColKind:          "Kind",
		ColCount:         "Regencies/cities",
		ColShare:         "Has an MPP",
		ColRank:          "Rank",
		NoDate:           "—",
		TooltipProvince:  "Province",
		TooltipStatus:    "Status",
		TooltipAsOf:      "As of",
		TooltipSource:    "Source",
		TooltipPast:      "MPP site dates and status history (see Method)",
		ShareLine:        "%d of %d %s have an MPP: %s",
		DenomBSKDN:       "regencies/cities (BSKDN, Home Affairs denominator)",
		DenomKemenPANRB:  "units (KemenPANRB denominator: 508 autonomous regencies/cities + DKI Jakarta once)",
		ProvincesLine:    "%d provinces fully covered (every regency/city has an MPP); %d provinces with no MPP recorded; of %d provinces.",
		HeadlineSource:   "Source: status per regency/city from KemenPANRB and Home Affairs releases and news; every region cites its sources and dates (table below the map, region pages).",
		AriaDescription:  "Map of Public Service Mall status in Indonesia's %d regencies and cities, data as of %s: %d have an MPP, %d are preparing one, %d have none according to a source, and %d are unknown because no source was found yet. The data table below the map lists every region.",
		DownloadCSV:      "Download this table as CSV",
		DownloadAllCSV:   "All regions (CSV)",
		DownloadAllGeo:   "All regions (GeoJSON)",
		DownloadPNG:      "Download chart (PNG)",
		FooterBoundaries: "Boundaries: © 2024 Cahya DSN (github.com/cahyadsn/wilayah_boundaries), MIT licence",
		FooterData:       "MPP status compiled from KemenPANRB and Home Affairs releases and news; every region cites its sources. Data as of",
		FooterImported:   "updated",
		FooterSources:    "Data sources",
		FooterMethod:     "Method and caveats",

		SearchLabel:       "Find a regency, city or province",
		SearchPlaceholder: "e.g. Kota Bandung",
		SearchNone:        "Nothing found",
		SearchShowOnMap:   "show on map",
		RankingTitle:      "Provinces ranked",
		RankingNote:       "Ordered by the share of regencies and cities with an MPP (denominator: the province's regencies and cities).",

		ProvinceTitle:   "%s province",
		ProvinceLead:    "%d of %d regencies and cities have an MPP (%s).",
		ProvinceRank:    "Ranked %d of %d provinces by the share of regencies and cities with an MPP.",
		ProvinceMapDesc: "Map of MPP status in %s province, data as of %s: %d have an MPP, %d are preparing one, %d have none according to a source, %d are unknown.",
		RegionsTable:    "Regencies and cities of this province",

		RegionStatus:     "MPP status",
		RegionEvidence:   "Evidence",
		RegionNote:       "Note",
		RegionFirstKnown: "First recorded",
		RegionSources:    "Sources",
		RegionNoSources:  "No source for this region yet.",
		RegionHistory:    "Status history",
		RegionNoHistory:  "No status change recorded yet.",
		RegionLocator:    "Locator map",
		RegionLocDesc:    "Locator map of %s in %s province, with the MPP status of the regions around it.",
		RegionThis:       "%s (this region)",
		RegionInProvince: "A %s in %s province",
		PeersTitle:       "Compared with its peers",
		PeersGroup:       "Peer group",
		PeersHave:        "Have an MPP",
		PeersNeighbours:  "Neighbours (shared border)",
		PeersNone:        "No peers.",
		LearnFrom:        "Peers that already have an MPP (to learn from)",
		IndicatorsTitle:  "Indicators against peer medians",
		IndicatorsNote:   "Median of each peer group (this region excluded) for the data's latest period; n = peers with data; rank among this region and its peers, 1 = highest value. The same figures as the API's region profile. No data is shown as —, never as zero.",
		RankOf:           "rank %d of %d",
		LearnFromNone:    "No peer has an MPP yet.",
		SourcePublished:  "published",
		SourceNoDate:     "undated",
		ProvinceLink:     "%s province page",

		NotFoundTitle: "Page not found",
		NotFoundText:  "No regency, city or province has this code. Find a region on the national map.",

		MethodTitle: "Method, sources and caveats",
		MethodHTML: []methodSection{
			{"Four statuses", []string{
				"Has an MPP: a source says the region's MPP was inaugurated or operates.",
				"In preparation: a source reports preparation (a regulation, a building, a planned opening); not operating yet.",
				"No MPP (sourced): a source says the region had no MPP on a given date.",
				"Unknown: no source yet. It is never counted or drawn as \"no MPP\".",
			}},
			{"Two denominators", []string{
				"BSKDN (Home Affairs) counts 514 regencies and cities. KemenPANRB counts 508 autonomous regencies and cities plus DKI Jakarta's one provincial MPP (Jakarta's administrative cities are not autonomous). Every percentage on this site names its denominator.",
			}},
			{"Dates and their precision", []string{
				"Dates are shown as precisely as their source gives them: day, month, year, or \"by\" a date when the source only says the MPP existed when it was published. This site never invents a more precise date.",
			}},
			{"Fiscal capacity", []string{
				"Fiscal capacity groups are our own calculation from the available data (a proxy), not the Finance Ministry's official category. Regions without data are shown as no data, never as a low value.",
			}},
			{"Progress to target", []string{
				"The progress category follows Open SDG progress reporting: the current pace compared with the pace needed to reach the target (on track / acceleration needed / limited progress / deterioration).",
			}},
		},
		EmbedLink: "Open the full map on MPP Map",

		NavProgress:             "Progress",
		ProgressTitle:           "National progress toward the target",
		ProgressLead:            "Latest stated figure: %d MPPs as of %s. Every figure comes from its source; differing figures for one date are shown side by side.",
		ValueTypes:              map[string]string{data.ValueStated: "stated", data.ValueStatedApprox: "stated (approximate)", data.ValueDerived: "derived", data.ValueUnknown: "not stated"},
		SeriesStated:            "MPPs (stated)",
		SeriesApprox:            "Approximate / derived",
		SeriesSites:             "From dated MPP sites",
		SeriesProjection:        "Projection at the last 12 months' pace (%s MPPs/month)",
		SeriesTargets:           "Full-coverage targets (deadline)",
		GoalRegions:             "%d regencies/cities",
		GoalUnits:               "%d units (KemenPANRB count)",
		TargetAll:               "514 regencies/cities (BSKDN)",
		TargetAutonomous:        "508 autonomous + DKI (KemenPANRB)",
		ProvinceProgressAria:    "Line chart of the cumulative number of MPPs in %s by the inauguration dates of its recorded MPP sites, with a line at its %d regencies and cities and the projection at the last 12 months' pace. The table below lists every point.",
		ProgressAria:            "Line chart of the cumulative national number of MPPs as stated by official sources, with target lines at 514 regencies and cities and at 509 (508 autonomous plus DKI Jakarta). The table below lists every figure with its source.",
		PaceTitle:               "Pace and outlook",
		Pace12:                  "Pace over the last 12 months (MPPs per month)",
		ETALabel:                "All %d regencies and cities covered (at the last 12 months' pace)",
		ProgressNote:            "Our calculation from the figures the sources state; method below.",
		CountsTable:             "Chart data as a table: every national figure with its source",
		ColDate:                 "Date",
		ColCumulative:           "Cumulative count",
		ColValueType:            "Kind of figure",
		TargetsTitle:            "Official targets (as published)",
		ColSetBy:                "Set by",
		ColTarget:               "Target",
		ColScope:                "Scope",
		ColOutcome:              "Outcome note",
		MethodLabel:             "Method",
		ChangesTitle:            "Latest changes",
		ProgressFull:            "Full progress report: every figure, target and the method",
		ProvinceProgressHeading: "Progress in %s province",
		ProvinceProgressLead:    "MPPs by their dated sites: %d as of %s. The national figures stated by sources are not broken down by province.",
		ScopeLabel:              "Area",
		ScopeAll:                "All of Indonesia",
		ScopeGo:                 "Show",
		ProvinceProgressTitle:   "Progress in this province",
		ProvinceCountsTable:     "Chart data as a table: cumulative count from dated MPP sites",
		TimeLabel:               "Status as of",
		TimePlay:                "Play",
		TimePause:               "Pause",
		TimeNow:                 "latest",
		TimeNote:                "Slide to see the status at the end of a past month. A date too imprecise for that day shows as unknown, never as no MPP.",
	}
}

// percent formats part/total as a percentage with one decimal in the language's notation.
func (m *messages) percent(part, total int) string {
	if total == 0 {
		return "–"
	}
	s := strconv.FormatFloat(100*float64(part)/float64(total), 'f', 1, 64)
	return strings.Replace(s, ".", m.DecimalSep, 1) + "%"
}
