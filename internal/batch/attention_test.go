package batch

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier"
)

func TestSummaryListsRowsNeedingAttention(t *testing.T) {
	e := newEnv(t)
	e.fake.classes["R"] = carrier.Rejected
	e.fake.classes["D"] = carrier.InDoubt
	bad := l2Row("BAD", "Vlan Co")
	bad[20] = "4095"
	in := writeCSV(t, e.dir, "mix.csv", l2Row("OK", "Fine Co"), l2Row("R", "Rejected Co"), bad, l2Row("D", "Doubt Co"))
	s, err := Process(context.Background(), in, e.opts())
	require.NoError(t, err)
	var got []string
	for _, n := range s.Attention {
		got = append(got, n.Status)
		assert.NotEmpty(t, n.Message, "row %d", n.Row)
	}
	assert.Equal(t, []string{Rejected, Invalid, InDoubt}, got, "in file order, submitted rows left out")
	require.Len(t, s.Attention, 3)
	assert.Equal(t, 3, s.Attention[0].Row, "the spreadsheet row number (header is row 1)")
	assert.Contains(t, s.Attention[1].Message, "site_vlan")
}
