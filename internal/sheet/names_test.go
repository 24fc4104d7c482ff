package sheet

import (
	"errors"
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNumberedName(t *testing.T) {
	tests := []struct {
		name string
		n    int
		want string
	}{
		{"orders.xlsx", 1, "orders.xlsx"},
		{"orders.xlsx", 2, "orders.2.xlsx"},
		{"a.result.csv", 12, "a.result.12.csv"},
		{"noext", 3, "noext.3"},
		{"Mes commandes.xlsx", 2, "Mes commandes.2.xlsx"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, NumberedName(tt.name, tt.n))
	}
}

func TestFreeName(t *testing.T) {
	taken := map[string]bool{"r.result.csv": true, "r.result.2.csv": true}
	var tried []string
	got, err := FreeName("r.result.csv", func(n string) error {
		tried = append(tried, n)
		if taken[n] {
			return fs.ErrExist
		}
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, "r.result.3.csv", got)
	assert.Equal(t, []string{"r.result.csv", "r.result.2.csv", "r.result.3.csv"}, tried)

	boom := errors.New("disk on fire")
	got, err = FreeName("x.csv", func(string) error { return boom })
	assert.ErrorIs(t, err, boom, "any other error stops the search")
	assert.Equal(t, "x.csv", got)
}
