// Command samplegen writes orderdrop's sample inputs (samples/ in the
// repository, and the demo's inbox) with fr-port dates relative to today, so
// that the valid rows stay valid: French number ports must be asked for 6 to
// 89 days ahead. Every person, company and number in them is made up (French
// numbers in ARCEP's ranges for fiction, North American 555-01xx).
//
//	go run ./cmd/samplegen -out samples
//	go run ./cmd/samplegen -count-orders http://127.0.0.1:PORT   (demo: orders at the sandbox)
//	go run ./cmd/samplegen -push-stages http://127.0.0.1:PORT -step 1|2   (demo: move orders through stages)
//	go run ./cmd/samplegen -bench-rows 100000 -bench-kind fr-port -bench-format xlsx -out big.xlsx   (make bench)
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"
)

func main() {
	out := flag.String("out", "samples", "folder to write the samples into")
	count := flag.String("count-orders", "", "print how many orders the carrier sandbox at this URL created, then exit")
	stages := flag.String("push-stages", "", "push the carrier sandbox's orders at this URL to the demo's next stages (see -step), then exit")
	step := flag.Int("step", 1, "with -push-stages: 1 confirms, schedules and rejects; 2 completes")
	benchRows := flag.Int("bench-rows", 0, "write one large file of this many valid rows to -out (a file path), then exit")
	benchFirst := flag.Int("bench-first", 0, "number of the first -bench-rows row (refs and numbers follow it)")
	benchKindName := flag.String("bench-kind", "fr-port", "kind of the -bench-rows file: fr-port, ca-port or l2")
	benchFormat := flag.String("bench-format", "xlsx", "format of the -bench-rows file: xlsx, csv or csv-fr (French Excel: ';', Windows-1252)")
	flag.Parse()
	if *stages != "" {
		if err := demoStages(*stages, *step); err != nil {
			fmt.Fprintln(os.Stderr, "samplegen:", err)
			os.Exit(1)
		}
		return
	}
	if *benchRows > 0 {
		if err := benchFile(*out, *benchKindName, *benchFormat, *benchFirst, *benchRows, time.Now()); err != nil {
			fmt.Fprintln(os.Stderr, "samplegen:", err)
			os.Exit(1)
		}
		return
	}
	if *count != "" {
		n, err := countOrders(*count)
		if err != nil {
			fmt.Fprintln(os.Stderr, "samplegen:", err)
			os.Exit(1)
		}
		fmt.Println(n)
		return
	}
	if err := write(*out, time.Now()); err != nil {
		fmt.Fprintln(os.Stderr, "samplegen:", err)
		os.Exit(1)
	}
}

func countOrders(base string) (int, error) {
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(base + "/_sim/orders")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var orders []json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&orders); err != nil {
		return 0, fmt.Errorf("read /_sim/orders: %w", err)
	}
	return len(orders), nil
}
