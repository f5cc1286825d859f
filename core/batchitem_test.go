package core

import (
	"path/filepath"
	"testing"

	json "github.com/goccy/go-json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseBatchItem(t *testing.T) {
	it, err := ParseBatchItem([]byte(`{"report": "invoice", "output": "a/b.pdf", "params": {"z": 1, "a": 2},
		"data": [1], "format": "docx", "theme": 3, "template": "plain", "workspace": 26}`), "out")
	require.NoError(t, err)
	assert.Equal(t, Code("invoice"), it.Report)
	assert.Equal(t, ID(26), it.Workspace)
	assert.Equal(t, filepath.Join("out", "a/b.pdf"), it.Output)
	assert.Equal(t, json.RawMessage(`{"z": 1, "a": 2}`), it.Params)
	assert.Equal(t, json.RawMessage(`[1]`), it.Data)
	assert.Equal(t, [3]string{"docx", "3", "plain"}, [3]string{it.Format, it.Theme, it.Template})

	plain, err := ParseBatchItem([]byte(`{"report": 160, "output": "/abs/x.pdf", "params": null}`), "")
	require.NoError(t, err)
	assert.Equal(t, "/abs/x.pdf", plain.Output, "without a directory any path goes")
	assert.Nil(t, plain.Params)

	for _, bad := range []string{`not json`, `[1]`, `{"output": "x.pdf"}`, `{"report": 160}`, `{"report": 160, "output": ""}`,
		`{"report": 160, "output": "../x.pdf"}`, `{"report": 160, "output": "/abs.pdf"}`, `{"report": 160, "output": "x.pdf", "colour": 1}`,
		`{"report": 160, "output": "x.pdf", "params": [1]}`, `{"report": true, "output": "x.pdf"}`} {
		_, err := ParseBatchItem([]byte(bad), "out")
		requireCode(t, err, CodeInvalidInput)
	}
}
