package core

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cxclient/cxreports/cxfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The export, temporary-data, preview and job flows work whether the server sends
// ids as numbers or as GUID strings, and every id goes back as it came.
func TestFlowsWithBothIDStyles(t *testing.T) {
	for _, style := range []cxfake.IDStyle{cxfake.IntIDs, cxfake.GUIDIDs} {
		t.Run(style.String(), func(t *testing.T) {
			srv, c := newFake(t, cxfake.WithIDs(style), cxfake.WithExportDelay(time.Millisecond), cxfake.WithJobDelay(time.Millisecond))
			ctx := ctxT(t)
			kind := func(r Ref) {
				t.Helper()
				_, isNumber := r.IsID()
				assert.Equal(t, style == cxfake.IntIDs, isNumber, "id %q", r.String())
				if style == cxfake.GUIDIDs {
					assert.Len(t, r.String(), 36)
				}
			}
			wait := WaitOptions{PollInterval: 5 * time.Millisecond}

			start, err := c.StartReportExport(ctx, ID(160), nil)
			require.NoError(t, err)
			kind(start.TemporaryFileID)
			st, err := c.WaitForExport(ctx, start.TemporaryFileID, wait)
			require.NoError(t, err)
			assert.Equal(t, start.TemporaryFileID, st.ID)
			pdf, err := c.GetExportContent(ctx, start.TemporaryFileID)
			require.NoError(t, err)
			assert.True(t, bytes.HasPrefix(pdf, []byte("%PDF-")))
			d, err := c.ExportToFile(ctx, ID(160), nil, filepath.Join(t.TempDir(), "e.pdf"), wait)
			require.NoError(t, err)
			kind(d.TemporaryFileID)

			td, err := c.PushTemporaryData(ctx, TemporaryDataRequest{Content: map[string]any{"rows": []int{1, 2}}})
			require.NoError(t, err)
			kind(td.TempDataID)
			_, err = c.GetPDF(ctx, ID(160), Query{}.With("tempDataId", td.TempDataID))
			require.NoError(t, err)
			_, err = c.PostPDF(ctx, ID(160), map[string]any{"tempDataId": td.TempDataID})
			require.NoError(t, err)
			u, err := c.GetPreviewURLWithData(ctx, ID(160), map[string]any{"x": 1}, Query{})
			require.NoError(t, err)
			assert.Contains(t, u, "tempDataId=")

			run, err := c.StartJobRun(ctx, Code("monthly"), nil)
			require.NoError(t, err)
			kind(run.JobRunID)
			rs, err := c.WaitForJobRun(ctx, Code("monthly"), run.JobRunID, wait)
			require.NoError(t, err)
			assert.True(t, rs.Finished)
			review, err := c.GetRunReviewDocument(ctx, Code("monthly"), run.JobRunID)
			require.NoError(t, err)
			kind(review.TemporaryFileID)
			_, err = c.WaitForExport(ctx, review.TemporaryFileID, wait)
			require.NoError(t, err)
			require.NoError(t, c.DeliverJobRunEntries(ctx, Code("monthly"), run.JobRunID))
			assert.Equal(t, 1, srv.DeliveriesOf(run.JobRunID.String()))

			for _, r := range srv.Requests() {
				if strings.Contains(r.Path, "/runs/") {
					assert.Contains(t, r.Path, "/runs/"+run.JobRunID.String()+"/", "the run id went back unchanged")
				}
			}
		})
	}
}
