package review

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

// TestBatchSummaryNamesTheToFixFile: the review page's batch names the
// to-fix file beside its report when the batch has rows to correct.
func TestBatchSummaryNamesTheToFixFile(t *testing.T) {
	cfg, err := config.Parse(nil, t.TempDir(), os.LookupEnv)
	require.NoError(t, err)
	report := filepath.Join(cfg.Reports, "l2.result.2.xlsx")
	for _, c := range []struct {
		counts map[string]int
		want   string
	}{
		{map[string]int{"submitted": 2, "invalid": 1}, "l2.to-fix.2.xlsx"},
		{map[string]int{"rejected": 1}, "l2.to-fix.2.xlsx"},
		{map[string]int{"conflict": 1}, "l2.to-fix.2.xlsx"},
		{map[string]int{"submitted": 2, "in_doubt": 1}, ""},
	} {
		got := batchSummary(cfg, &ledger.Batch{ID: "B", Report: report, Counts: c.counts}).ToFix
		assert.Equal(t, c.want, got, "counts %v", c.counts)
	}
}
