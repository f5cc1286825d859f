package core

import (
	"testing"

	json "github.com/goccy/go-json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The expected strings were produced by the official Python client 0.0.5's own
// query builder (CxReportClientV1._CxReportClientV1__append_query_params) with
// python3, from the same dicts.
func TestQueryEncodeMatchesPython(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{}`, ``},
		{`{"params": {"title": "First page title"}, "tempDataId": 7, "timezone": "UTC"}`,
			`tempDataId=7&params=eyJ0aXRsZSI6ICJGaXJzdCBwYWdlIHRpdGxlIn0%3D&timezone=UTC`},
		{`{"template": "Default", "theme": "3", "includeAttachments": true, "type": "invoice", "lang": "de", "timezone": "Europe/Berlin", "data": "{\"a\":1}", "nonce": "n 1", "params": {"b": 1, "a": [1, 2.5, null, true, false], "z": {"y": "x"}}, "tempDataId": 12}`,
			`tempDataId=12&params=eyJiIjogMSwgImEiOiBbMSwgMi41LCBudWxsLCB0cnVlLCBmYWxzZV0sICJ6IjogeyJ5IjogIngifX0%3D&nonce=n+1&data=%7B%22a%22%3A1%7D&timezone=Europe%2FBerlin&lang=de&type=invoice&includeAttachments=True&theme=3&template=Default`},
		{`{"params": {"ü": "é😀\u007f\u0001\n\t\"\\/", "num": 100000.0, "neg": -0.5, "big": 12345678901234567890}}`,
			`params=eyJcdTAwZmMiOiAiXHUwMGU5XHVkODNkXHVkZTAwXHUwMDdmXHUwMDAxXG5cdFwiXFwvIiwgIm51bSI6IDEwMDAwMC4wLCAibmVnIjogLTAuNSwgImJpZyI6IDEyMzQ1Njc4OTAxMjM0NTY3ODkwfQ%3D%3D`},
		{`{"includeAttachments": false, "lang": "a b&c=d+e/f?g~h.i_j-k"}`,
			`lang=a+b%26c%3Dd%2Be%2Ff%3Fg~h.i_j-k&includeAttachments=False`},
		{`{"params": {}}`, `params=e30%3D`},
	}
	for _, tc := range cases {
		q, err := QueryFromJSON([]byte(tc.in))
		require.NoError(t, err, tc.in)
		got, err := q.Encode()
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
}

func TestQueryGoValuesAndExtras(t *testing.T) {
	var q Query
	q.Set("format", "docx")
	q.Set("excludePages", []int{1, 3})
	q.Set("params", map[string]any{"a": 1})
	q.Set("tempDataId", "abc")
	q.Set("data", map[string]any{"x": "ü"})
	q.Set("includeAttachments", true)
	q.Set("theme", 3)
	q.Set("custom", map[string]any{"k": []int{1}})
	got, err := q.Encode()
	require.NoError(t, err)
	assert.Equal(t, `tempDataId=abc&params=eyJhIjogMX0%3D&data=%7B%22x%22%3A%22%C3%BC%22%7D&includeAttachments=True&theme=3`+
		`&format=docx&excludePages=1&excludePages=3&custom=%7B%22k%22%3A%5B1%5D%7D`, got)
}

func TestQuerySetDoesNotChangeCopies(t *testing.T) {
	var q Query
	q.Set("lang", "en")
	q.Set("theme", "a")
	c := q
	c.Set("theme", "b")
	w := q.With("template", "x")
	v, _ := q.Get("theme")
	assert.Equal(t, "a", v)
	assert.Equal(t, 2, q.Len())
	assert.Equal(t, 3, w.Len())
	q.Del("lang")
	assert.Equal(t, []string{"theme"}, q.Keys())
	assert.Equal(t, []string{"lang", "theme"}, c.Keys())
}

func TestQueryRejectsWhatCannotBeSent(t *testing.T) {
	bad := []string{
		`{"params": "not an object"}`,
		`{"params": [1]}`,
		`{"tempDataId": 1.5}`,
		`{"tempDataId": true}`,
		`{"includeAttachments": "yes"}`,
		`{"timezone": 5}`,
		`{"theme": {"id": 3}}`,
		`{"nonce": ["a"]}`,
	}
	for _, in := range bad {
		q, err := QueryFromJSON([]byte(in))
		require.NoError(t, err)
		_, err = q.Encode()
		require.Error(t, err, in)
		assert.ErrorIs(t, err, ErrInvalidInput, in)
	}
	var q Query
	q.Set("params", map[string]any{"f": func() {}})
	_, err := q.Encode()
	assert.ErrorIs(t, err, ErrInvalidInput)

	for _, in := range []string{`[1]`, `{"a":`, `"x"`, `{"a":1} {}`} {
		_, err := QueryFromJSON([]byte(in))
		assert.ErrorIs(t, err, ErrInvalidInput, in)
	}
	q, err = QueryFromJSON(nil)
	require.NoError(t, err)
	assert.Equal(t, 0, q.Len())
}

func TestQueryNullMeansAbsentAndMarshalKeepsOrder(t *testing.T) {
	q, err := QueryFromJSON([]byte(`{"z": 1, "lang": null, "a": "x"}`))
	require.NoError(t, err)
	s, err := q.Encode()
	require.NoError(t, err)
	assert.Equal(t, "z=1&a=x", s)
	b, err := json.Marshal(q)
	require.NoError(t, err)
	assert.Equal(t, `{"z":1,"lang":null,"a":"x"}`, string(b))
}
