package order

import (
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/orderdrop/orderdrop/internal/sheet"
)

// validator holds what one Parse call needs, prepared once.
type validator struct {
	kind   Kind
	opts   Options
	now    time.Time
	win    window
	winErr error
	loasMu sync.Mutex
	loas   map[string]loaResult // loa_file reads, by file name; guarded by loasMu
}

// parallelMin is how many rows each goroutine gets at least when a file's
// rows are checked in parallel: smaller files are checked on one.
const parallelMin = 256

// rowWorkers is how many goroutines check rows; tests set it to 1 to compare.
var rowWorkers = func() int { return runtime.GOMAXPROCS(0) }

// eachRow runs check(i) for every row i < n, spread over the CPUs: the rows
// are independent (each has its own checker and build), and checking them
// was the largest cost of validate after reading.
func eachRow(n int, check func(i int)) {
	workers := min(rowWorkers(), n/parallelMin)
	if workers <= 1 {
		for i := range n {
			check(i)
		}
		return
	}
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		hi := min(n, lo+chunk)
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				check(i)
			}
		})
	}
	wg.Wait()
}

func newValidator(kind Kind, opts Options) *validator {
	v := &validator{kind: kind, opts: opts, now: opts.now(), loas: make(map[string]loaResult)}
	v.win, v.winErr = opts.FrWindow.compile()
	return v
}

// rowBuild is one row on its way through validation and grouping.
type rowBuild struct {
	num   int
	ref   string
	chk   *checker
	order *Order // this row alone; nil once the row is invalid
}

// validateRows binds the rows to the kind's struct and checks each one.
func (v *validator) validateRows(header []string, cells [][]string, builds []*rowBuild) error {
	switch v.kind {
	case FrPort:
		rows, err := bind[frRow](header, cells)
		if err != nil {
			return err
		}
		eachRow(len(rows), func(i int) {
			v.finishRow(builds[i], rows[i].OrderRef, v.frPort(&rows[i], builds[i].chk))
		})
	case CaPort:
		rows, err := bind[caRow](header, cells)
		if err != nil {
			return err
		}
		eachRow(len(rows), func(i int) {
			v.finishRow(builds[i], rows[i].OrderRef, v.caPort(&rows[i], builds[i].chk))
		})
	case L2:
		rows, err := bind[l2Row](header, cells)
		if err != nil {
			return err
		}
		eachRow(len(rows), func(i int) {
			v.finishRow(builds[i], rows[i].OrderRef, v.l2(&rows[i], builds[i].chk))
		})
	default:
		return fmt.Errorf("unknown order kind %q (known: fr-port, ca-port, l2)", v.kind)
	}
	return nil
}

func (v *validator) finishRow(b *rowBuild, ref string, o *Order) {
	b.ref = trim(ref)
	if o != nil {
		o.Kind, o.Ref, o.Rows = v.kind, b.ref, []int{b.num}
	}
	b.order = o
}

// ValidateRow validates one row of kind under header, alone, and returns its
// problems (nil when valid).
func ValidateRow(kind Kind, header []string, cells []string, opts Options) []Problem {
	t := &sheet.Table{Header: header, Records: []sheet.Record{{Num: 2, Line: 2, Cells: cells}}}
	return Parse(t, kind, opts).Rows[0].Problems
}
