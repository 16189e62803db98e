# The --output=json contract: one object per printed line, stable keys.
. "$TOP_SRCDIR/tests/lib.sh"

normal_log 2000 >"$tmp/log"
printf 'quote " backslash \\ tab \t bell \007 byte \377 end\n' >>"$tmp/log"
printf 'crlf line\r\n' >>"$tmp/log"

run 0 "$AIOPSFILTER" --all --output=json "$tmp/log"
json_check "$tmp/out"
[ "$(lines "$tmp/out")" = 2002 ] || fail "not one record per line"
python3 - "$tmp/out" "$tmp/log" <<'PY' || fail "bad JSON records"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], 'rb')]
for n, r in enumerate(recs, 1):
    assert r['line'] == n, r
    assert r['file'] == sys.argv[2], r
    for k in ('score', 'kind', 'template_id', 'template', 'text', 'flagged'):
        assert k in r, (k, r)
    assert isinstance(r['score'], (int, float))
    assert isinstance(r['template_id'], int)
    assert r['kind'] in ('new', 'rare', 'normal'), r
odd = recs[2000]
assert odd['text'] == 'quote " backslash \\ tab \t bell \x07 byte \ufffd end', odd
assert odd['kind'] == 'new' and odd['flagged'], odd
assert recs[2001]['text'] == 'crlf line', recs[2001]
# same template id, same template text at the end
final = {}
for r in recs:
    final[r['template_id']] = r['template']
assert recs[0]['template_id'] == recs[3]['template_id']
assert final[recs[0]['template_id']] == 'worker <*> processed batch <*> with <*> messages', final
PY

# Without --all, only flagged lines, and no "flagged" key.
run 0 "$AIOPSFILTER" -o json "$tmp/log"
json_check "$tmp/out"
contains "$tmp/out" '"kind":"new"'
lacks "$tmp/out" '"flagged"'

# Standard input has no "file" key.
run 0 "$AIOPSFILTER" -o json <"$tmp/log"
lacks "$tmp/out" '"file"'

# --templates in JSON.
run 0 "$AIOPSFILTER" --templates -o json "$tmp/log"
json_check "$tmp/out"
contains "$tmp/out" '"count":'

# A file name that needs quoting is quoted in every record.
cp "$tmp/log" "$tmp/a\"b\\c.log"
run 0 "$AIOPSFILTER" -o json "$tmp/a\"b\\c.log"
json_check "$tmp/out"
python3 - "$tmp/out" "$tmp/a\"b\\c.log" <<'PY' || fail "file name not quoted"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert recs and all(r['file'] == sys.argv[2] for r in recs), recs[:2]
PY

# Each record names its template as it was when the line was judged,
# though the template's text is kept escaped between records; lines
# that need escapes and lines that do not, read by one thread or two.
printf 'cache node alpha reported ready\ncache node beta reported ready\n' >"$tmp/gen"
printf 'cache node "q" reported ready\ncache node t\tb reported ready\n' >>"$tmp/gen"
for j in 1 2; do
	run 0 "$AIOPSFILTER" -j$j --all -o json --variable-words=2 "$tmp/gen"
	python3 - "$tmp/out" <<'PY' || fail "-j$j: template or text not as judged"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
want = ['cache node alpha reported ready', 'cache node <*> reported ready',
        'cache node <*> reported ready', 'cache node <*> reported ready']
assert [r['template'] for r in recs] == want, recs
assert [r['text'] for r in recs][2:] == ['cache node "q" reported ready',
                                         'cache node t\tb reported ready'], recs
PY
done

# event_time: the header's stamp, read again when it changes (a line
# with the same stamp as the last reads the same), absent when it does
# not read as a time.
cat >"$tmp/stamps" <<'LOG'
2026-11-26 10:00:00 INFO job 1 started
2026-11-26 10:00:00 INFO job 2 started
2026-11-26 10:00:07 INFO job 3 started
2026-99-26 10:00:07 INFO job 4 started
2026-99-26 10:00:07 INFO job 5 started
2026-11-26 10:00:07 INFO job 6 started
LOG
run 0 "$AIOPSFILTER" --all -o json "$tmp/stamps"
python3 - "$tmp/out" <<'PY' || fail "event_time wrong"
import json, sys
t = [json.loads(l).get('event_time') for l in open(sys.argv[1])]
base = 1795687200.0  # 2026-11-26T10:00:00Z
assert t == [base, base, base + 7, None, None, base + 7], t
PY
# ... and each line's own, though the clock of a time window does not
# go back for lines a little out of order (several writers).
run 0 "$AIOPSFILTER" --all -o json --window 5m - <<'LOG'
2026-11-26 10:00:05 INFO job 1 started
2026-11-26 10:00:02 INFO job 2 started
2026-11-26 10:00:07 INFO job 3 started
LOG
python3 - "$tmp/out" <<'PY' || fail "event_time of lines out of order"
import json, sys
t = [json.loads(l).get('event_time') for l in open(sys.argv[1])]
base = 1795687200.0  # 2026-11-26T10:00:00Z
assert t == [base + 5, base + 2, base + 7], t
PY

# Lines of several clocks in one stream (tail -F of a few logs): each
# line's own time, though each clock's last stamp is kept to read the
# next from, and five clocks are more than are kept.
python3 - >"$tmp/clocks" <<'PY'
import random
random.seed(7)
forms = ['2026-11-26 %02d:%02d:%02d INFO job started',
         'Nov 26 %02d:%02d:%02d host app[1]: job started',
         '[26/Nov/2026:%02d:%02d:%02d +0000] job started',
         '2026-11-26T%02d:%02d:%02d.250Z job started',
         '26.11.2026 %02d:%02d:%02d job started']
secs = [36000] * len(forms)
for _ in range(400):
    i = random.randrange(len(forms))
    step = random.choice([0, 0, 1, 7, 59, 3600])
    secs[i] += step if secs[i] + step < 86400 else 0
    s = secs[i]
    print(forms[i] % (s // 3600, s // 60 % 60, s % 60), s + (0.25 if i == 3 else 0))
PY
awk '{ $NF = ""; sub(/ $/, ""); print }' "$tmp/clocks" >"$tmp/log5"
run 0 "$AIOPSFILTER" --all -o json "$tmp/log5"
python3 - "$tmp/out" "$tmp/clocks" <<'PY' || fail "event_time of interleaved clocks"
import json, sys
got = [json.loads(l).get('event_time') for l in open(sys.argv[1])]
base = 1795651200.0  # 2026-11-26T00:00:00Z
want = [base + float(l.split()[-1]) for l in open(sys.argv[2])]
assert len(got) == len(want) == 400, (len(got), len(want))
bad = [(i + 1, g, w) for i, (g, w) in enumerate(zip(got, want)) if g != w]
assert not bad, bad[:5]
PY

# Event time from headers of other shapes: logfmt's leading pairs, a
# syslog priority and RFC 5424, an access log's bracketed stamp, Redis.
cat >"$tmp/stamps" <<'LOG'
time="2026-11-26T10:00:01Z" level=info msg="job 1 started"
level=warn ts=2026-11-26T10:00:02.5Z caller=run.go:9 msg="job 2 slow"
<14>1 2026-11-26T10:00:03Z web app 42 - - job 3 started
1.2.3.4 - - [26/Nov/2026:10:00:04 +0000] "GET / HTTP/1.1" 200 5
1234:M 26 Nov 2026 10:00:05.000 * job 5 saved
time=5 units left
LOG
run 0 "$AIOPSFILTER" --all -o json "$tmp/stamps"
python3 - "$tmp/out" <<'PY' || fail "event_time of logfmt, RFC 5424, access log or Redis wrong"
import json, sys
t = [json.loads(l).get('event_time') for l in open(sys.argv[1])]
base = 1795687200.0  # 2026-11-26T10:00:00Z
assert t == [base + 1, base + 2.5, base + 3, base + 4, base + 5, None], t
PY

# Stamps the header found after the level, and a stamp with milliseconds
# after a colon.
cat >"$tmp/stamps" <<'LOG'
INFO [11-26|10:00:01.250] job 1 started
INFO  [main] 2026-11-26 10:00:02,500 Job.java:12 - job 2 started
20261126-10:00:03:750|Job|42|job 3 started
LOG
run 0 "$AIOPSFILTER" --all -o json "$tmp/stamps"
python3 - "$tmp/out" <<'PY' || fail "event_time after a level or with :ms wrong"
import calendar, json, sys, time
t = [json.loads(l).get('event_time') for l in open(sys.argv[1])]
# The first has no year: this year's Nov 26, or last year's if that is
# more than a day ahead.
now = time.time()
y = time.gmtime(now).tm_year
first = calendar.timegm((y, 11, 26, 10, 0, 1)) + 0.25
if first > now + 86400:
    first = calendar.timegm((y - 1, 11, 26, 10, 0, 1)) + 0.25
assert t == [first, 1795687202.5, 1795687203.75], (t, first)
PY

# A format with five time fields (Thunderbird's): all are joined, and
# when they do not read together, the first that reads alone, the epoch.
printf '%s\n' '1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond[2915]: session closed' >"$tmp/stamps"
run 0 "$AIOPSFILTER" --all -o json --format '<Timestamp> <Date> <User> <Month> <Day> <Time> <Location> <Component>(\[<PID>\])?: <Content>' "$tmp/stamps"
python3 - "$tmp/out" <<'PY' || fail "event_time of five time fields wrong"
import json, sys
t = [json.loads(l).get('event_time') for l in open(sys.argv[1])]
assert t == [1131566461.0], t
PY
