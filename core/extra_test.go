package core

// This test decodes and encodes through encoding/json on purpose: callers marshal
// the response objects with the standard library too, and the round trip must
// hold there as it does with goccy/go-json, which core and lenient_test.go use.
import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResponseObjectsMarshalBackAsSent(t *testing.T) {
	in := `{"status":"Failed","id":7,"errorMessage":null,"isReady":false,"custom":{"a":[1,2]},"contentSize":0}`
	var st ExportStatus
	require.NoError(t, json.Unmarshal([]byte(in), &st))
	assert.Equal(t, ID(7), st.ID)
	assert.Equal(t, "", st.ErrorMessage)
	assert.JSONEq(t, `{"a":[1,2]}`, string(st.Extra["custom"]))
	out, err := json.Marshal(st)
	require.NoError(t, err)
	assert.Equal(t, in, string(out), "same members, order and nulls")

	st.ErrorMessage = "now set"
	st.Extra["added"] = json.RawMessage(`true`)
	out, err = json.Marshal(st)
	require.NoError(t, err)
	assert.Equal(t, `{"status":"Failed","id":7,"errorMessage":"now set","isReady":false,"custom":{"a":[1,2]},"contentSize":0,"added":true}`, string(out))

	// A value the caller built has every documented field.
	out, err = json.Marshal(Nonce{Nonce: "n"})
	require.NoError(t, err)
	assert.Equal(t, `{"nonce":"n"}`, string(out))
	out, err = json.Marshal(JobRunStatus{Finished: true, Extra: map[string]json.RawMessage{"z": json.RawMessage(`1`)}})
	require.NoError(t, err)
	assert.Equal(t, `{"finished":true,"entries":0,"status":{"queued":0,"review":0,"completed":0,"errors":0},"z":1}`, string(out))

	// Nested objects keep their own extras.
	var run JobRunStatus
	require.NoError(t, json.Unmarshal([]byte(`{"finished":false,"entries":2,"status":{"queued":2,"paused":1}}`), &run))
	assert.Equal(t, int64(2), run.Status.Queued)
	out, err = json.Marshal(run)
	require.NoError(t, err)
	assert.Equal(t, `{"finished":false,"entries":2,"status":{"queued":2,"paused":1}}`, string(out))
}
