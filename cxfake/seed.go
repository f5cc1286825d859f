package cxfake

import "strconv"

// The seed data is fixed: tests in every language rely on these ids and codes.
// Every workspace holds the same reports, themes, templates and jobs.

type workspace struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Code        string `json:"code"`
	CreatedAt   string `json:"createdAt"` // not in the wire spec: proves clients keep unknown fields
}

type reportType struct {
	ID                int64  `json:"id"`
	Name              string `json:"name"`
	Description       string `json:"description"`
	Code              string `json:"code"`
	DefaultReportID   int64  `json:"defaultReportId"`
	DefaultReportName string `json:"defaultReportName"`
}

type report struct {
	ID                 int64   `json:"id"`
	Name               string  `json:"name"`
	ReportTypeID       int64   `json:"reportTypeId"`
	ReportTypeName     string  `json:"reportTypeName"`
	ReportTemplateName string  `json:"reportTemplateName"`
	PreviewImage       *string `json:"previewImage"`
	ThemeName          string  `json:"themeName"`
	IsDefault          bool    `json:"isDefault"`
	typeCode           string
	pages              []reportPage
}

type reportPage struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

type namedItem struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

type job struct {
	ID             int64   `json:"id"`
	Name           string  `json:"name"`
	Description    string  `json:"description"`
	Code           string  `json:"code"`
	ReviewRequired bool    `json:"reviewRequired"`
	IsActive       bool    `json:"isActive"`
	LastRunTime    *string `json:"lastRunTime"`
}

const seedCreatedAt = "2024-01-15T09:30:00Z"

func seedWorkspaces() []workspace {
	return []workspace{
		{ID: 1, Name: "Main", Description: "The default workspace", Code: "main", CreatedAt: seedCreatedAt},
		{ID: 0, Name: "Zero", Description: "Workspace with id 0", Code: "zero", CreatedAt: seedCreatedAt},
		{ID: 26, Name: "Sales Team", Description: "A code with a space", Code: "sales team", CreatedAt: seedCreatedAt},
	}
}

func seedReportTypes() []reportType {
	return []reportType{
		{ID: 1, Name: "Invoice", Description: "Customer invoices", Code: "invoice", DefaultReportID: 160, DefaultReportName: "Invoice"},
		{ID: 2, Name: "Other", Description: "Everything else", Code: "other", DefaultReportID: 161, DefaultReportName: "Other report"},
	}
}

func seedReports() []report {
	img := "/images/reports/160.png"
	return []report{
		{ID: 160, Name: "Invoice", ReportTypeID: 1, ReportTypeName: "Invoice", ReportTemplateName: "Default",
			PreviewImage: &img, ThemeName: "Dark", IsDefault: true, typeCode: "invoice",
			pages: []reportPage{{ID: 1, Name: "Cover", Type: "page"}, {ID: 2, Name: "Lines", Type: "subreport"}, {ID: 3, Name: "Terms", Type: "document-merge"}}},
		{ID: 161, Name: "Other report", ReportTypeID: 2, ReportTypeName: "Other", ReportTemplateName: "Default",
			PreviewImage: nil, ThemeName: "Dark", IsDefault: true, typeCode: "other",
			pages: []reportPage{{ID: 4, Name: "Main", Type: "page"}}},
	}
}

func seedThemes() []namedItem    { return []namedItem{{ID: 3, Code: "dark", Name: "Dark"}} }
func seedTemplates() []namedItem { return []namedItem{{ID: 2, Code: "Default", Name: "Default"}} }

func seedJobs() []job {
	return []job{
		{ID: 42, Name: "Monthly invoices", Description: "Sends the monthly invoices after review", Code: "monthly", ReviewRequired: true, IsActive: true},
		{ID: 43, Name: "Daily digest", Description: "Sends the daily digest without review", Code: "daily", ReviewRequired: false, IsActive: true},
	}
}

// parseID reads a path segment as a numeric id. Codes never parse, so a segment is
// either an id or a code, never both.
func parseID(seg string) (int64, bool) {
	if seg == "" || (seg[0] != '-' && (seg[0] < '0' || seg[0] > '9')) {
		return 0, false
	}
	n, err := strconv.ParseInt(seg, 10, 64)
	return n, err == nil
}

// findNamed looks an id-or-code segment up in a list of themes or templates.
func findNamed(items []namedItem, ref string) (namedItem, bool) {
	id, isID := parseID(ref)
	for _, it := range items {
		if (isID && it.ID == id) || (!isID && it.Code == ref) {
			return it, true
		}
	}
	return namedItem{}, false
}
