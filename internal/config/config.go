// Package config loads and checks orderdrop's YAML configuration. Decoding is
// strict (an unknown key is an error), secrets come from ${ENV_VAR}
// references and never print, and every default is applied here, in one
// place, so the rest of the program receives complete values.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/registry"
	"github.com/orderdrop/orderdrop/internal/config/secret"
	"github.com/orderdrop/orderdrop/internal/order"
)

// ErrInvalid is returned (wrapped) by Load and Parse when the file cannot be
// used: a YAML error, an unknown key, a missing environment variable or a
// value out of range. The message names the key and what to do.
var ErrInvalid = errors.New("invalid configuration")

// Config is the whole configuration. Zero values are replaced by the defaults
// documented on each field by Load/Parse.
type Config struct {
	// Dir is the folder holding the configuration file, against which a
	// relative StateDir is resolved, and the relative folders below when
	// there is no StateDir. Not read from YAML.
	Dir string `yaml:"-"`
	// Warnings are things the operator should fix although the file is
	// usable (e.g. a credential written in it), for the caller to log. Not
	// read from YAML; nil = nothing to say.
	Warnings []string `yaml:"-"`
	// literalSecrets are the keys of the credentials written in the file
	// itself instead of as ${VAR} references, sorted.
	literalSecrets []string

	// StateDir is the folder the relative folders and the ledger below are
	// resolved against, e.g. /var/lib/orderdrop; a relative StateDir is
	// resolved against Dir. "" = Dir (the folder holding this file).
	StateDir string `yaml:"state_dir"`

	Inbox      string `yaml:"inbox"`      // "" = "inbox": where users drop files
	Processing string `yaml:"processing"` // "" = "processing": files being worked on
	Archive    string `yaml:"archive"`    // "" = "archive": read files, by day
	Failed     string `yaml:"failed"`     // "" = "failed": unreadable files with NAME.error.txt
	Reports    string `yaml:"reports"`    // "" = "reports": result spreadsheets
	Ledger     string `yaml:"ledger"`     // "" = "orderdrop.db": the bbolt ledger

	// LedgerBackups is how many daily copies of the ledger the daemon keeps
	// beside it (LEDGER.backup-YYYY-MM-DD, the oldest removed). Absent = 7;
	// 0 = the daemon takes none.
	LedgerBackups *int `yaml:"ledger_backups"`

	// StableAfter: a dropped file is taken once unchanged for this long.
	// Left out of the file = 30s; 0 = as soon as it is seen (a zero means zero).
	StableAfter time.Duration `yaml:"stable_after"`
	// Skip: file name patterns left alone. nil = ~$*, .~lock.*#, *.tmp, *.part, .*
	Skip []string `yaml:"skip"`

	// Schedule is the daemon's cron spec (5 fields, robfig/cron). "" = "*/5 * * * *".
	Schedule string `yaml:"schedule"`
	// TimeZone of the schedule, of archive folder dates and of the times in
	// reports, error files and status. "" = "Europe/Paris".
	TimeZone string `yaml:"timezone"`
	// TrackSchedule is the daemon's cron spec for tracking passes (orderdrop
	// track), in TimeZone. "" = "0 8-18 * * 1-5" (hourly in working hours);
	// "off" = the daemon does not track.
	TrackSchedule string `yaml:"track_schedule"`

	Tracking Tracking `yaml:"tracking"`

	Log Log `yaml:"log"`

	// Kinds holds per-kind settings, keyed "fr-port", "ca-port", "l2".
	Kinds map[string]KindConfig `yaml:"kinds"`

	Validation Validation `yaml:"validation"`

	Carriers Carriers `yaml:"carriers"`

	// Retry paces the files kept in processing/ because a carrier could not
	// take their orders (see Retry).
	Retry Retry `yaml:"retry"`

	Recovery Recovery `yaml:"recovery"`

	// Notify and Metrics: unattended operation (observe.go).
	Notify  Notify  `yaml:"notify"`
	Metrics Metrics `yaml:"metrics"`

	Web Web `yaml:"web"`

	// noSecrets: loaded by LoadWithoutSecrets; carrier credentials are
	// neither needed nor kept.
	noSecrets bool
}

// Tracking bounds the following of orders after submission.
type Tracking struct {
	// MaxAgeDays: an order submitted longer ago is no longer asked about
	// (it stays in the open-orders list). 0 = 120.
	MaxAgeDays int `yaml:"max_age_days"`
	// PageSize is how many orders a tracking pass reads, asks about and
	// records at once. 0 = 100.
	PageSize int `yaml:"page_size"`
	// MaxDuration bounds one tracking pass: then the look-ups in flight
	// are abandoned and the orders not asked yet wait for the next pass.
	// Absent = 10m; 0 = no bound.
	MaxDuration time.Duration `yaml:"max_duration"`
	// BreakAfter: after this many failed look-ups in a row at one carrier,
	// its other orders are not asked in that pass. 0 = 3.
	BreakAfter int `yaml:"break_after"`
}

// DefaultTrackingMaxDuration is tracking.max_duration when the file does
// not set it.
const DefaultTrackingMaxDuration = 10 * time.Minute

// Retry paces the files kept in processing/ because some of their orders
// could not be sent (a carrier unreachable or busy, or its reference data
// unreadable): after the n-th such pass, the file is not taken again before
// MinWait·2^(n-1), capped at MaxWait. A file held only by refused
// credentials is taken again at the next pass (the fix is a configuration
// change). Absent keys take the defaults; an explicit 0 means no wait.
type Retry struct {
	MinWait *time.Duration `yaml:"min_wait"` // absent = 5m; 0 = every pass
	MaxWait *time.Duration `yaml:"max_wait"` // absent = 1h
}

// Backoff returns the wait before a file kept for the attempts-th time
// (1-based) is taken again.
func (r Retry) Backoff(attempts int) time.Duration {
	lo, hi := time.Duration(0), time.Duration(0)
	if r.MinWait != nil {
		lo = *r.MinWait
	}
	if r.MaxWait != nil {
		hi = *r.MaxWait
	}
	wait := lo
	for i := 1; i < attempts && wait < hi; i++ {
		wait *= 2
	}
	return min(wait, hi)
}

// Web configures the daemon's read-only review page.
type Web struct {
	// Addr is the host:port the page listens on, e.g. "127.0.0.1:8080".
	// "" = no page. An address other machines can reach needs User and
	// Password.
	Addr string `yaml:"addr"`
	// User turns on HTTP basic auth; Password (a ${ENV_VAR}) is then
	// required. "" = no auth. Both may be ${ENV_VAR} references.
	User     string `yaml:"user"`
	Password Secret `yaml:"password"`
	// PublicURL is the address people reach the page at (through a TLS
	// proxy or a tunnel), linked from every digest; "" = no link.
	PublicURL string `yaml:"public_url"`
}

// Log configures logging.
type Log struct {
	Format string `yaml:"format"` // "auto" (text on a terminal, JSON otherwise), "text" or "json"; "" = "auto"
	Level  string `yaml:"level"`  // "debug", "info", "warn", "error"; "" = "info"
}

// KindConfig holds the settings of one order kind.
type KindConfig struct {
	// AllOrNothing: when true, a file with any invalid row of this kind sends
	// none of its orders of this kind. false = valid rows are sent.
	AllOrNothing bool `yaml:"all_or_nothing"`
}

// Validation tunes row validation.
type Validation struct {
	FrPortWindow FrPortWindow `yaml:"fr_port_window"`
	// MaxAttachment is the largest loa_file accepted, in bytes. 0 = 10 MiB.
	MaxAttachment int64 `yaml:"max_attachment"`
	// Checks sets a domain check's severity by name (order.Checks):
	// error, warning or off. A check not named keeps its default.
	Checks map[string]string `yaml:"checks"`
}

// FrPortWindow is the regulatory window for fr-port wanted_date.
type FrPortWindow struct {
	// Disabled turns the check off. false = checked (the default).
	Disabled bool `yaml:"disabled"`
	// MinWorkingDays ahead, French public holidays excluded. 0 = 6.
	MinWorkingDays int `yaml:"min_working_days"`
	// MaxDays ahead. 0 = 89.
	MaxDays int `yaml:"max_days"`
	// Hours are the allowed Paris times, "HH:MM-HH:MM". nil = 08:00-12:00 and 14:00-17:00.
	Hours []string `yaml:"hours"`
}

// HTTP holds the settings every carrier shares (see carrier.HTTPSection).
type HTTP = carrier.HTTPSection

// DefaultEnvironment is carriers.NAME.environment when not set (the
// environment of every order placed before environments existed).
const DefaultEnvironment = carrier.DefaultEnvironment

// environmentName is what carriers.NAME.environment may hold: it becomes
// part of ledger keys.
var environmentName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,40}$`)

// defaultStableAfter is stable_after when the file does not set it.
const defaultStableAfter = 30 * time.Second

// Load reads and checks the configuration file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, readError(path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	cfg, err := parse(data, filepath.Dir(abs), os.LookupEnv, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := cfg.checkLiteralSecrets(path); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// readError is the error for a configuration file that cannot be read; a
// permission problem says what to do.
func readError(path string, err error) error {
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("%w: cannot read %s: permission denied — give orderdrop's user read access to it", ErrInvalid, path)
	}
	return fmt.Errorf("%w: read %s: %w", ErrInvalid, path, err)
}

// Parse decodes YAML strictly, expands ${VAR} secrets with lookup, applies
// defaults, resolves relative paths against dir and checks every value.
func Parse(data []byte, dir string, lookup func(string) (string, bool)) (*Config, error) {
	cfg, err := parse(data, dir, lookup, false)
	if err != nil {
		return nil, err
	}
	return cfg, nil
}

// Check reads the configuration file at path as Load does and returns
// every problem found (errors.Join of one error per problem), with the
// configuration as far as it could be read: defaults applied and folders
// resolved even when keys are unknown or variables missing, so that the
// folders can be checked too. The configuration is nil only when the file
// cannot be read or is not YAML.
func Check(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, readError(path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	cfg, err := parse(data, filepath.Dir(abs), os.LookupEnv, false)
	if cfg == nil {
		return nil, err
	}
	if lerr := cfg.checkLiteralSecrets(path); lerr != nil {
		err = errors.Join(err, lerr)
	}
	return cfg, err
}

// parse is Parse; with noSecrets, carrier credentials are not expanded,
// required or kept (see LoadWithoutSecrets).
func parse(data []byte, dir string, lookup func(string) (string, bool), noSecrets bool) (*Config, error) {
	// A key left out takes its default; a key given, even as 0, its value.
	cfg := Config{StableAfter: defaultStableAfter, Tracking: Tracking{MaxDuration: DefaultTrackingMaxDuration}, Carriers: NewCarriers(), noSecrets: noSecrets}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, decodeError(err, nil)
	}
	// Every problem is listed at once (orderdrop config check): the keys
	// checked first, then what the known keys hold.
	values, errs := checkKeys(&doc, reflect.TypeFor[Config]())
	if doc.Kind != 0 {
		if err := doc.Decode(&cfg); err != nil {
			if len(errs) > 0 { // a value of the wrong shape, already named
				return nil, errors.Join(errs...)
			}
			return nil, decodeError(err, values)
		}
	}
	cfg.Dir = dir
	if err := cfg.expand(lookup); err != nil {
		errs = append(errs, err)
	}
	cfg.applyDefaults()
	if err := cfg.check(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return &cfg, errors.Join(errs...)
	}
	return &cfg, nil
}

func (c *Config) expand(lookup func(string) (string, bool)) error {
	// web.user is no credential (it may be written in the file) but takes
	// ${VAR} references as the password beside it does.
	user := secret.Raw(c.Web.User)
	userErr := user.Expand(lookup)
	c.Web.User = user.Value()
	if c.noSecrets {
		for _, s := range c.secrets() {
			*s = Secret{}
		}
		return nil
	}
	var errs []error
	if userErr != nil {
		errs = append(errs, fmt.Errorf("%w: web.user: %w", ErrInvalid, userErr))
	}
	for key, s := range c.secrets() {
		if s.Literal() {
			c.literalSecrets = append(c.literalSecrets, key)
		}
		if err := s.Expand(lookup); err != nil {
			errs = append(errs, fmt.Errorf("%w: %s: %w", ErrInvalid, key, err))
		}
	}
	slices.Sort(c.literalSecrets)
	return errors.Join(errs...)
}

// secrets are the configuration's credentials by key.
func (c *Config) secrets() map[string]*Secret {
	m := map[string]*Secret{}
	for name, sec := range c.Carriers.sections {
		for key, s := range sec.Secrets() {
			m["carriers."+name+"."+key] = s
		}
	}
	maps.Copy(m, c.observeSecrets())
	m["web.password"] = &c.Web.Password
	return m
}

func (c *Config) applyDefaults() {
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&c.Inbox, "inbox")
	def(&c.Processing, "processing")
	def(&c.Archive, "archive")
	def(&c.Failed, "failed")
	def(&c.Reports, "reports")
	def(&c.Ledger, "orderdrop.db")
	if c.StateDir != "" && !filepath.IsAbs(c.StateDir) {
		c.StateDir = filepath.Join(c.Dir, c.StateDir)
	}
	base := c.stateBase()
	for _, p := range []*string{&c.Inbox, &c.Processing, &c.Archive, &c.Failed, &c.Reports, &c.Ledger} {
		if !filepath.IsAbs(*p) {
			*p = filepath.Join(base, *p)
		}
	}
	def(&c.Schedule, "*/5 * * * *")
	def(&c.TimeZone, "Europe/Paris")
	def(&c.Log.Format, "auto")
	def(&c.Log.Level, "info")
	if c.Kinds == nil {
		c.Kinds = map[string]KindConfig{}
	}
	if c.Validation.MaxAttachment == 0 {
		c.Validation.MaxAttachment = 10 << 20
	}
	w := &c.Validation.FrPortWindow
	if w.MinWorkingDays == 0 {
		w.MinWorkingDays = 6
	}
	if w.MaxDays == 0 {
		w.MaxDays = 89
	}
	if w.Hours == nil {
		w.Hours = []string{"08:00-12:00", "14:00-17:00"}
	}
	for _, s := range c.Carriers.sections {
		s.ApplyDefaults()
	}
	c.Recovery.applyDefaults()
	def(&c.TrackSchedule, "0 8-18 * * 1-5")
	if c.Tracking.MaxAgeDays == 0 {
		c.Tracking.MaxAgeDays = 120
	}
	if c.Tracking.PageSize == 0 {
		c.Tracking.PageSize = 100
	}
	if c.Tracking.BreakAfter == 0 {
		c.Tracking.BreakAfter = 3
	}
	if c.LedgerBackups == nil {
		n := 7
		c.LedgerBackups = &n
	}
	if c.Retry.MinWait == nil {
		d := 5 * time.Minute
		c.Retry.MinWait = &d
	}
	if c.Retry.MaxWait == nil {
		d := time.Hour
		c.Retry.MaxWait = &d
	}
	c.observeDefaults()
}

// stateBase is the folder relative folders and state files are resolved
// against: StateDir, or without it Dir (the folder holding the file).
func (c *Config) stateBase() string {
	if c.StateDir != "" {
		return c.StateDir
	}
	return c.Dir
}

func (c *Config) check() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: %s: %s", ErrInvalid, key, fmt.Sprintf(format, args...)))
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil {
		bad("timezone", "%q is not a time zone name such as Europe/Paris", c.TimeZone)
	}
	if _, err := ParseSchedule(c.Schedule); err != nil {
		bad("schedule", "%v", err)
	}
	if c.TrackSchedule != "off" {
		if _, err := ParseSchedule(c.TrackSchedule); err != nil {
			bad("track_schedule", "%v (or \"off\")", err)
		}
	}
	if c.Tracking.MaxAgeDays < 0 {
		bad("tracking.max_age_days", "must not be negative")
	}
	if c.Tracking.PageSize < 0 || c.Tracking.PageSize > 10000 {
		bad("tracking.page_size", "%d must be between 1 and 10000", c.Tracking.PageSize)
	}
	if c.Tracking.MaxDuration < 0 {
		bad("tracking.max_duration", "must not be negative (0 = no bound)")
	}
	if c.Tracking.BreakAfter < 0 {
		bad("tracking.break_after", "must not be negative")
	}
	for _, name := range c.Carriers.Names() {
		for _, p := range c.Carriers.sections[name].Check() {
			bad("carriers."+name+"."+p.Key, "%s", p.Message)
		}
	}
	switch c.Log.Format {
	case "auto", "text", "json":
	default:
		bad("log.format", "%q must be auto, text or json", c.Log.Format)
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		bad("log.level", "%q must be debug, info, warn or error", c.Log.Level)
	}
	for k := range c.Kinds {
		if !knownKind(k) {
			bad("kinds."+k, "unknown kind; use fr-port, ca-port or l2")
		}
	}
	if c.StableAfter < 0 {
		bad("stable_after", "must not be negative")
	}
	w := c.Validation.FrPortWindow
	if w.MinWorkingDays < 0 || w.MaxDays < 0 || w.MaxDays < w.MinWorkingDays {
		bad("validation.fr_port_window", "min_working_days %d and max_days %d must be positive, max ≥ min", w.MinWorkingDays, w.MaxDays)
	}
	if _, err := parseHours(w.Hours); err != nil {
		bad("validation.fr_port_window.hours", "%v", err)
	}
	checkNames := make([]string, 0, len(order.Checks()))
	for _, c := range order.Checks() {
		checkNames = append(checkNames, string(c))
	}
	for _, name := range slices.Sorted(maps.Keys(c.Validation.Checks)) {
		key := "validation.checks." + name
		if !slices.Contains(checkNames, name) {
			if best := closest(name, checkNames); best != "" {
				bad(key, "unknown check: did you mean %s?", best)
			} else {
				bad(key, "unknown check; the checks are %s", strings.Join(checkNames, ", "))
			}
			continue
		}
		if _, err := order.ParseSeverity(c.Validation.Checks[name]); err != nil {
			bad(key, "%v", err)
		}
	}
	for _, name := range c.Carriers.Names() {
		h := *c.Carriers.HTTPOf(name)
		key := "carriers." + name
		if h.Concurrency < 1 || h.Concurrency > 256 {
			bad(key+".concurrency", "%d must be between 1 and 256", h.Concurrency)
		}
		if h.RatePerSecond < 0 {
			bad(key+".rate_per_second", "must not be negative")
		}
		if h.MaxAttempts < 1 || h.MaxAttempts > 20 {
			bad(key+".max_attempts", "%d must be between 1 and 20", h.MaxAttempts)
		}
		if !environmentName.MatchString(h.Environment) {
			bad(key+".environment", "%q must be a word of letters, digits, - or _, such as production or test", h.Environment)
		}
		if h.Timeout < 0 || h.ConnectTimeout < 0 || h.MaxRetryTime < 0 {
			bad(key, "timeouts must not be negative")
		}
	}
	if c.noSecrets {
		return errors.Join(errs...)
	}
	secs := c.Carriers.sections
	for _, name := range c.Carriers.Names() {
		creds, sec := registry.Carriers.Lookup(name).Credentials, secs[name].Secrets()
		if secs[name].Common().BaseURL == "" {
			continue
		}
		if slices.ContainsFunc(creds, func(k string) bool { return sec[k].Unset() }) {
			bad("carriers."+name, "%s are required when base_url is set", strings.Join(creds, " and "))
		}
	}
	errs = append(errs, c.Recovery.check()...)
	if *c.LedgerBackups < 0 {
		bad("ledger_backups", "%d: must be 0 (no daily backups) or more", *c.LedgerBackups)
	}
	if r := c.Retry; *r.MinWait < 0 || *r.MaxWait < *r.MinWait {
		bad("retry", "min_wait %s and max_wait %s must not be negative, max_wait ≥ min_wait", *r.MinWait, *r.MaxWait)
	}
	c.observeCheck(bad)
	if err := c.Web.check(); err != nil {
		bad("web", "%v", err)
	}
	return errors.Join(errs...)
}

// check refuses a page other machines could read without a password.
func (w Web) check() error {
	if w.User != "" && w.Password.Value() == "" {
		return errors.New("password is required when user is set: password: ${ORDERDROP_WEB_PASSWORD}")
	}
	if w.Addr == "" {
		return nil
	}
	host, port, err := net.SplitHostPort(w.Addr)
	if err != nil {
		return fmt.Errorf("addr %q must be host:port, e.g. 127.0.0.1:8080", w.Addr)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("addr %q: port %q must be a number up to 65535", w.Addr, port)
	}
	if w.User == "" && !loopback(host) {
		return fmt.Errorf("addr %q can be reached from other machines: set user and password, or listen on 127.0.0.1", w.Addr)
	}
	return nil
}

// loopback reports whether host only accepts connections from this machine.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func knownKind(k string) bool {
	for _, kind := range order.Kinds {
		if string(kind) == k {
			return true
		}
	}
	return false
}

// Location returns the configured time zone (checked by Load).
func (c *Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// AllOrNothing reports whether kind k is configured all-or-nothing.
func (c *Config) AllOrNothing(k order.Kind) bool {
	return c.Kinds[string(k)].AllOrNothing
}

// Checks is validation.checks as order.Options.Checks wants it: the
// severity of each check the configuration names.
func (c *Config) Checks() map[order.Check]order.Severity {
	out := make(map[order.Check]order.Severity, len(c.Validation.Checks))
	for name, s := range c.Validation.Checks {
		if sev, err := order.ParseSeverity(s); err == nil {
			out[order.Check(name)] = sev
		}
	}
	return out
}

// FrWindow returns the fr-port window as package order wants it.
func (c *Config) FrWindow() order.FrWindow {
	w := c.Validation.FrPortWindow
	hours, _ := parseHours(w.Hours)
	return order.FrWindow{Disabled: w.Disabled, MinWorkingDays: w.MinWorkingDays, MaxDays: w.MaxDays, Hours: hours}
}
