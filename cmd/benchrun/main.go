// Command benchrun is `make bench`: it measures orderdrop as whole processes
// against the bundled carrier sandbox and prints one table with each target
// of the streaming work (issue 8) beside its line.
//
//	go run ./cmd/benchrun -bin bin
//
// It generates the inputs with samplegen, starts carriersim on a loopback
// port, and runs, each in a fresh folder and ledger:
//   - excelize's bare streaming Rows() read of the 100k-row XLSX (this same
//     binary re-executed with -bare-read), the reference for validate;
//   - orderdrop validate on the 100k-row XLSX and the French-Excel CSV;
//   - orderdrop run per kind at 0 ms carrier latency, then l2 at 20 ms
//     latency and concurrency 16;
//   - orderdrop run over 50 files in one pass (RSS sampled over time).
//
// Wall time is measured around the child; peak RSS is the child's Maxrss
// from wait4(2); ledger commits are the bbolt transaction id of the ledger
// after the run (each write transaction is one fsync'd commit).
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/xuri/excelize/v2"
	bolt "go.etcd.io/bbolt"
)

func main() {
	if len(os.Args) == 3 && os.Args[1] == "-bare-read" {
		if err := bareRead(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, "benchrun:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchrun:", err)
		os.Exit(1)
	}
}

// bareRead is the reference: excelize's streaming Rows() over every sheet,
// each cell's raw value (no number formatting, as orderdrop reads them) and
// nothing else.
func bareRead(path string) error {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cells := 0
	for _, name := range f.GetSheetList() {
		rows, err := f.Rows(name)
		if err != nil {
			return err
		}
		for rows.Next() {
			cols, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				return err
			}
			cells += len(cols)
		}
		if err := rows.Close(); err != nil {
			return err
		}
	}
	fmt.Println(cells, "cells")
	return nil
}

// settings are the flags and what the run has learnt so far.
type settings struct {
	bin, work             string
	rows, runRows, l2Rows int
	slowRows, files, reps int
	fileRows, concurrency int
	latency               time.Duration
	keep                  bool
	samplegen, orderdrop  string
	carriersim, simURL    string
	self                  string
	environ               []string
	started               time.Time
	results               []result
	loaded                string
}

// result is one line of the table.
type result struct {
	name     string
	rows     int // input rows
	orders   int // orders submitted (0 for validate)
	wall     time.Duration
	rssKiB   int64
	commits  int64 // ledger write transactions; -1 = not applicable
	extra    string
	targets  []target
	exitCode int
}

type target struct {
	what string
	met  bool
	got  string
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("benchrun", flag.ContinueOnError)
	s := &settings{}
	fs.StringVar(&s.bin, "bin", "bin", "folder holding orderdrop, carriersim and samplegen")
	fs.StringVar(&s.work, "work", "", "work folder (default: a new temporary folder, removed at the end)")
	fs.IntVar(&s.rows, "rows", 100_000, "rows of the validate files")
	fs.IntVar(&s.l2Rows, "l2-rows", 100_000, "rows of the l2 run at 0 ms (its peak RSS is the 100k-row run target)")
	fs.IntVar(&s.runRows, "run-rows", 20_000, "rows of the ca-port and fr-port runs at 0 ms")
	fs.IntVar(&s.slowRows, "slow-rows", 8_000, "rows of the l2 run at 20 ms latency")
	fs.IntVar(&s.reps, "reps", 3, "runs of each validate case (the table shows medians)")
	fs.IntVar(&s.files, "files", 50, "files of the one-pass run")
	fs.IntVar(&s.fileRows, "file-rows", 400, "rows per file of the one-pass run")
	fs.IntVar(&s.concurrency, "concurrency", 16, "each carrier's concurrency")
	fs.DurationVar(&s.latency, "latency", 20*time.Millisecond, "carrier latency of the slow run")
	fs.BoolVar(&s.keep, "keep", false, "keep the work folder")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var err error
	if s.self, err = os.Executable(); err != nil {
		return err
	}
	if s.bin, err = filepath.Abs(s.bin); err != nil {
		return err
	}
	s.samplegen = filepath.Join(s.bin, "samplegen")
	s.orderdrop = filepath.Join(s.bin, "orderdrop")
	s.carriersim = filepath.Join(s.bin, "carriersim")
	for _, p := range []string{s.samplegen, s.orderdrop, s.carriersim} {
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("%w (build them first: make build, go build -o bin/samplegen ./cmd/samplegen)", err)
		}
	}
	if s.work == "" {
		if s.work, err = os.MkdirTemp("", "orderdrop-bench-"); err != nil {
			return err
		}
		if !s.keep {
			defer os.RemoveAll(s.work)
		}
	}
	s.environ = append(os.Environ(), "NETWO_API_KEY=sim-netwo-key", "NETWO_ACTOR_SLUG=sim-actor",
		"PRIZZ_EMAIL=ops@orderdrop.example", "PRIZZ_PASSWORD=sim-prizz-password",
		"THINKTEL_USERNAME=sim-thinktel", "THINKTEL_PASSWORD=sim-thinktel-password")
	s.started = time.Now()
	s.loaded = loadAverage()

	stopSim, err := s.startSim(ctx)
	if err != nil {
		return err
	}
	defer stopSim()

	steps := []func(context.Context) error{s.benchValidate, s.benchRuns, s.benchSlow, s.benchPass}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return err
		}
	}
	s.print(stdout)
	return nil
}

// gen writes one input with samplegen.
func (s *settings) gen(ctx context.Context, path, kind, format string, rows int) error {
	return s.genFrom(ctx, path, kind, format, 0, rows)
}

// genFrom writes rows first…first+rows-1 (order refs and numbers follow the row).
func (s *settings) genFrom(ctx context.Context, path, kind, format string, first, rows int) error {
	cmd := exec.CommandContext(ctx, s.samplegen, "-bench-rows", strconv.Itoa(rows), "-bench-first", strconv.Itoa(first),
		"-bench-kind", kind, "-bench-format", format, "-out", path)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("samplegen %s %s: %w", kind, format, err)
	}
	return nil
}

// measured is what one child process cost.
type measured struct {
	wall     time.Duration
	rssKiB   int64
	exitCode int
	stdout   string
	samples  []int64 // RssAnon in KiB, sampled every 50 ms when asked
}

// measure runs a child and reads its peak RSS from wait4's rusage.
func (s *settings) measure(ctx context.Context, dir string, sample bool, name string, args ...string) (measured, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = s.environ
	var out strings.Builder
	cmd.Stdout = &out
	errf, err := os.Create(filepath.Join(dir, filepath.Base(name)+".stderr"))
	if err != nil {
		return measured{}, err
	}
	defer errf.Close()
	cmd.Stderr = errf
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return measured{}, err
	}
	var m measured
	done := make(chan struct{})
	sampled := make(chan []int64, 1)
	go func() { // ends when done is closed
		var xs []int64
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				sampled <- xs
				return
			case <-t.C:
				if sample {
					if kib := vmRSS(cmd.Process.Pid); kib > 0 {
						xs = append(xs, kib)
					}
				}
			}
		}
	}()
	werr := cmd.Wait()
	m.wall = time.Since(start)
	close(done)
	m.samples = <-sampled
	m.stdout = out.String()
	if cmd.ProcessState == nil {
		return m, werr
	}
	m.exitCode = cmd.ProcessState.ExitCode()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.rssKiB = ru.Maxrss // KiB on Linux
	}
	var ee *exec.ExitError
	if werr != nil && !errors.As(werr, &ee) {
		return m, werr
	}
	return m, nil
}

// median returns a measurement with the median wall and the median RSS of ms.
func median(ms []measured) measured {
	walls := make([]time.Duration, len(ms))
	rss := make([]int64, len(ms))
	for i, m := range ms {
		walls[i], rss[i] = m.wall, m.rssKiB
	}
	slices.Sort(walls)
	slices.Sort(rss)
	out := ms[0]
	out.wall, out.rssKiB = walls[len(walls)/2], rss[len(rss)/2]
	for _, m := range ms {
		out.exitCode = max(out.exitCode, m.exitCode)
	}
	return out
}

// vmRSS reads a process's anonymous resident memory (heap, stacks) in KiB
// from /proc: what a leak would grow. The ledger's memory-mapped file is
// left out; it grows with the ledger, not with the number of files.
func vmRSS(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "RssAnon:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

func (s *settings) benchValidate(ctx context.Context) error {
	dir := filepath.Join(s.work, "validate")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	xlsx, csvFr := filepath.Join(dir, "fr-port-100k.xlsx"), filepath.Join(dir, "fr-port-100k.csv")
	if err := s.gen(ctx, xlsx, "fr-port", "xlsx", s.rows); err != nil {
		return err
	}
	if err := s.gen(ctx, csvFr, "fr-port", "csv-fr", s.rows); err != nil {
		return err
	}
	// The three are run in turn, reps times, and each reports its median
	// wall and RSS: a loaded machine slows them alike.
	var bares, vxs, vcs []measured
	for range s.reps {
		bare, err := s.measure(ctx, dir, false, s.self, "-bare-read", xlsx)
		if err != nil || bare.exitCode != 0 {
			return fmt.Errorf("bare read: exit %d: %v", bare.exitCode, err)
		}
		vx, err := s.measure(ctx, dir, false, s.orderdrop, "validate", "--out", dir, xlsx)
		if err != nil {
			return err
		}
		vc, err := s.measure(ctx, dir, false, s.orderdrop, "validate", "--out", dir, csvFr)
		if err != nil {
			return err
		}
		bares, vxs, vcs = append(bares, bare), append(vxs, vx), append(vcs, vc)
	}
	bare, vx, vc := median(bares), median(vxs), median(vcs)
	runs := fmt.Sprintf("median of %d", s.reps)
	s.results = append(s.results, result{name: "excelize Rows() bare read, XLSX (reference)", rows: s.rows,
		wall: bare.wall, rssKiB: bare.rssKiB, commits: -1, extra: runs})

	ratio := vx.wall.Seconds() / bare.wall.Seconds()
	s.results = append(s.results, result{name: "validate XLSX fr-port", rows: s.rows, wall: vx.wall, rssKiB: vx.rssKiB,
		commits: -1, exitCode: vx.exitCode, extra: fmt.Sprintf("%s; %.2f× bare read", runs, ratio),
		targets: []target{
			{"≤ 1.3× bare read", ratio <= 1.3, fmt.Sprintf("%.2f×", ratio)},
			{"RSS ≤ 150 MiB", vx.rssKiB <= 150<<10, mib(vx.rssKiB)},
		}})

	s.results = append(s.results, result{name: "validate CSV fr-port (French Excel)", rows: s.rows, wall: vc.wall,
		rssKiB: vc.rssKiB, commits: -1, exitCode: vc.exitCode, extra: runs,
		targets: []target{
			{"≤ 1.5 s", vc.wall <= 1500*time.Millisecond, secs(vc.wall)},
			{"RSS ≤ 100 MiB", vc.rssKiB <= 100<<10, mib(vc.rssKiB)},
		}})
	return nil
}

// pass runs `orderdrop run` over files (already generated into a fresh
// inbox) and returns the measurement and the ledger's commit count.
func (s *settings) pass(ctx context.Context, dir string, sample bool) (measured, int64, error) {
	cfg := fmt.Sprintf(`inbox: inbox
processing: processing
archive: archive
failed: failed
reports: reports
ledger: orderdrop.db
stable_after: 1ms
log:
  format: text
  level: warn
carriers:
  netwo:
    base_url: %[1]s/netwo/api/v1
    api_key: ${NETWO_API_KEY}
    actor_slug: ${NETWO_ACTOR_SLUG}
    concurrency: %[2]d
  prizz:
    base_url: %[1]s/prizz
    email: ${PRIZZ_EMAIL}
    password: ${PRIZZ_PASSWORD}
    concurrency: %[2]d
  thinktel:
    base_url: %[1]s/thinktel/rest.svc
    username: ${THINKTEL_USERNAME}
    password: ${THINKTEL_PASSWORD}
    concurrency: %[2]d
`, s.simURL, s.concurrency)
	if err := os.WriteFile(filepath.Join(dir, "orderdrop.yaml"), []byte(cfg), 0o644); err != nil {
		return measured{}, 0, err
	}
	if err := s.simPost(ctx, "/_sim/reset", ""); err != nil {
		return measured{}, 0, err
	}
	m, err := s.measure(ctx, dir, sample, s.orderdrop, "--config", "orderdrop.yaml", "run")
	if err != nil {
		return m, 0, err
	}
	commits, err := ledgerCommits(filepath.Join(dir, "orderdrop.db"))
	return m, commits, err
}

// ledgerCommits is the number of write transactions the ledger has seen:
// bbolt's transaction id grows by one per commit.
func ledgerCommits(path string) (int64, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		return 0, fmt.Errorf("open ledger %s: %w", path, err)
	}
	defer db.Close()
	tx, err := db.Begin(false)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	return int64(tx.ID()), nil
}

func (s *settings) newRunDir(name string) (string, error) {
	dir := filepath.Join(s.work, name)
	return dir, os.MkdirAll(filepath.Join(dir, "inbox"), 0o755)
}

func (s *settings) benchRuns(ctx context.Context) error {
	cases := []struct {
		kind, format string
		rows         int
		target       float64
	}{
		{"l2", "xlsx", s.l2Rows, 2000},
		{"ca-port", "csv", s.runRows, 2000},
		{"fr-port", "xlsx", s.runRows, 700},
	}
	if err := s.setLatency(ctx, 0); err != nil {
		return err
	}
	for _, c := range cases {
		dir, err := s.newRunDir("run-" + c.kind)
		if err != nil {
			return err
		}
		if err := s.gen(ctx, filepath.Join(dir, "inbox", c.kind+"."+strings.TrimSuffix(c.format, "-fr")), c.kind, c.format, c.rows); err != nil {
			return err
		}
		m, commits, err := s.pass(ctx, dir, false)
		if err != nil {
			return err
		}
		orders := submitted(m.stdout)
		ops := float64(orders) / m.wall.Seconds()
		per := float64(commits) / float64(max(orders, 1))
		r := result{name: fmt.Sprintf("run %s %s, 0 ms, concurrency %d", c.kind, c.format, s.concurrency), rows: c.rows,
			orders: orders, wall: m.wall, rssKiB: m.rssKiB, commits: commits, exitCode: m.exitCode,
			targets: []target{
				{fmt.Sprintf("≥ %.0f orders/s", c.target), ops >= c.target, fmt.Sprintf("%.0f/s", ops)},
				{"≤ 0.25 fsync/order", per <= 0.25, fmt.Sprintf("%.3f", per)},
			}}
		if c.rows >= 100_000 {
			r.targets = append(r.targets, target{"RSS ≤ 200 MiB (100k rows)", m.rssKiB <= 200<<10, mib(m.rssKiB)})
		}
		s.results = append(s.results, r)
	}
	return nil
}

func (s *settings) benchSlow(ctx context.Context) error {
	dir, err := s.newRunDir("run-slow")
	if err != nil {
		return err
	}
	if err := s.gen(ctx, filepath.Join(dir, "inbox", "l2.xlsx"), "l2", "xlsx", s.slowRows); err != nil {
		return err
	}
	if err := s.setLatency(ctx, s.latency); err != nil {
		return err
	}
	defer s.setLatency(context.WithoutCancel(ctx), 0) //nolint:errcheck // best effort
	m, commits, err := s.pass(ctx, dir, false)
	if err != nil {
		return err
	}
	// Rate limits are off in the bench configuration, so the ideal pace is
	// concurrency / latency.
	ideal := float64(s.concurrency) / s.latency.Seconds()
	orders := submitted(m.stdout)
	ops := float64(orders) / m.wall.Seconds()
	share := ops / ideal
	s.results = append(s.results, result{name: fmt.Sprintf("run l2 xlsx, %s latency, concurrency %d", s.latency, s.concurrency),
		rows: s.slowRows, orders: orders, wall: m.wall, rssKiB: m.rssKiB, commits: commits, exitCode: m.exitCode,
		extra:   fmt.Sprintf("%.0f%% of ideal %.0f/s", 100*share, ideal),
		targets: []target{{"≥ 90% of ideal", share >= 0.9, fmt.Sprintf("%.0f%%", 100*share)}}})
	return nil
}

func (s *settings) benchPass(ctx context.Context) error {
	dir, err := s.newRunDir("pass")
	if err != nil {
		return err
	}
	kinds := []struct{ kind, format string }{{"l2", "xlsx"}, {"ca-port", "csv"}, {"fr-port", "csv-fr"}, {"l2", "csv"}, {"fr-port", "xlsx"}}
	for i := range s.files {
		k := kinds[i%len(kinds)]
		ext := strings.TrimSuffix(k.format, "-fr")
		// Each file its own order refs, so that no two files share a key.
		path := filepath.Join(dir, "inbox", fmt.Sprintf("f%02d-%s.%s", i, k.kind, ext))
		if err := s.genFrom(ctx, path, k.kind, k.format, i*s.fileRows, s.fileRows); err != nil {
			return err
		}
	}
	m, commits, err := s.pass(ctx, dir, true)
	if err != nil {
		return err
	}
	orders := submitted(m.stdout)
	firstHalf, secondHalf := halves(m.samples)
	flat := secondHalf <= firstHalf*11/10
	s.results = append(s.results, result{name: fmt.Sprintf("run over %d files in one pass (%d rows each)", s.files, s.fileRows),
		rows: s.files * s.fileRows, orders: orders, wall: m.wall, rssKiB: m.rssKiB, commits: commits, exitCode: m.exitCode,
		extra:   fmt.Sprintf("anon RSS max: 1st half %s, 2nd %s", mib(firstHalf), mib(secondHalf)),
		targets: []target{{"RSS flat (anon, 2nd half ≤ 1st + 10%)", flat, mib(secondHalf)}}})
	return nil
}

var submittedRE = regexp.MustCompile(`(\d+) submitted`)

// submitted adds up the "N submitted" counts orderdrop run prints per file.
func submitted(stdout string) int {
	n := 0
	for _, m := range submittedRE.FindAllStringSubmatch(stdout, -1) {
		k, _ := strconv.Atoi(m[1])
		n += k
	}
	return n
}

// halves returns the largest sample of each half of the run.
func halves(xs []int64) (a, b int64) {
	for i, x := range xs {
		if i < len(xs)/2 {
			a = max(a, x)
		} else {
			b = max(b, x)
		}
	}
	return a, b
}

func (s *settings) startSim(ctx context.Context) (func(), error) {
	cmd := exec.CommandContext(ctx, s.carriersim, "--addr", "127.0.0.1:0", "--log-level", "error")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "carriersim listening on ")
	if err != nil || !ok {
		stop()
		return nil, fmt.Errorf("carriersim did not start: %q %v", line, err)
	}
	s.simURL = url
	return stop, nil
}

func (s *settings) simPost(ctx context.Context, path, body string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.simURL+path, strings.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("carriersim %s: %s %s", path, resp.Status, b)
	}
	return nil
}

func (s *settings) setLatency(ctx context.Context, d time.Duration) error {
	return s.simPost(ctx, "/_sim/faults", fmt.Sprintf(`{"latency":%q}`, d.String()))
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func mib(kib int64) string { return fmt.Sprintf("%.0f MiB", float64(kib)/1024) }
func secs(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) + " s"
}

func (s *settings) print(w io.Writer) {
	fmt.Fprintf(w, "orderdrop bench %s, %s/%s, %d CPUs, load average at start %s, at end %s\n\n",
		s.started.UTC().Format("2006-01-02 15:04 MST"), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), s.loaded, loadAverage())
	fmt.Fprintf(w, "| %-50s | %7s | %8s | %8s | %9s | %8s | %11s | %-32s | %s\n", "case", "rows", "wall", "rows/s", "orders/s", "peak RSS", "fsync/order", "note", "targets")
	fmt.Fprintf(w, "|%s|%s|%s|%s|%s|%s|%s|%s|%s\n", strings.Repeat("-", 52), strings.Repeat("-", 9), strings.Repeat("-", 10),
		strings.Repeat("-", 10), strings.Repeat("-", 11), strings.Repeat("-", 10), strings.Repeat("-", 13), strings.Repeat("-", 34), strings.Repeat("-", 10))
	met, missed := 0, 0
	for _, r := range s.results {
		ops, per := "-", "-"
		if r.orders > 0 {
			ops = fmt.Sprintf("%.0f", float64(r.orders)/r.wall.Seconds())
		}
		if r.commits >= 0 && r.orders > 0 {
			per = fmt.Sprintf("%.3f", float64(r.commits)/float64(r.orders))
		}
		var ts []string
		for _, t := range r.targets {
			verdict := "met"
			if !t.met {
				verdict, missed = "MISSED", missed+1
			} else {
				met++
			}
			ts = append(ts, fmt.Sprintf("%s: %s %s", t.what, t.got, verdict))
		}
		note := r.extra
		if r.orders > 0 && r.orders != r.rows {
			note = strings.TrimSpace(fmt.Sprintf("only %d of %d submitted %s", r.orders, r.rows, note))
		}
		if r.exitCode != 0 {
			note = strings.TrimSpace(fmt.Sprintf("exit %d %s", r.exitCode, note))
		}
		fmt.Fprintf(w, "| %-50s | %7d | %8s | %8.0f | %9s | %8s | %11s | %-32s | %s\n", r.name, r.rows, secs(r.wall),
			float64(r.rows)/r.wall.Seconds(), ops, mib(r.rssKiB), per, note, strings.Join(ts, "; "))
	}
	fmt.Fprintf(w, "\ntargets met: %d, missed: %d (wall and RSS of whole processes; rows/s = input rows / wall)\n", met, missed)
}
