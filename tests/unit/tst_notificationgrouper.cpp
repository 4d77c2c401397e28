#include "alerts/alertrules.h"
#include "alerts/notificationgrouper.h"
#include "alerttesthelpers.h"

#include <QTest>

#include <algorithm>

using namespace std::chrono_literals;
using namespace breakwater;
using namespace breakwater::alerttest;

namespace {

const QString kOther = QStringLiteral("other_tts");

AlertRoutingSettings routing(Duration wait = 1s, Duration interval = 5s, Duration repeat = 4h)
{
    AlertRoutingSettings settings;
    settings.groupWait = wait;
    settings.groupInterval = interval;
    settings.repeatInterval = repeat;
    return settings;
}

// One simulated instant on both clocks: the steady one drives the grouper, the wall one is what
// silences and messages read.
struct Instant
{
    TimePoint steady;
    WallTime wall;
};

Instant at(Duration offset)
{
    return {steadyAt(offset), wallAt(offset)};
}

// The grouper with flush() called on a fixed tick, every message kept with when it went out.
class Harness
{
public:
    explicit Harness(const AlertRoutingSettings& settings)
        : grouper(settings)
    {}

    void update(const Alert& alert, Duration offset) { grouper.update(alert, at(offset).steady); }

    std::vector<Notification> flush(Duration offset)
    {
        std::vector<Notification> out = grouper.flush(at(offset).steady, at(offset).wall, silences);
        for (const Notification& n : out)
            sent.push_back({offset, n});
        return out;
    }

    // Flushes every `tick` from `from` to `to` inclusive; returns how many messages went out.
    std::size_t flushEvery(Duration tick, Duration from, Duration to)
    {
        const std::size_t before = sent.size();
        for (Duration t = from; t <= to; t += tick)
            flush(t);
        return sent.size() - before;
    }

    struct Sent
    {
        Duration at;
        Notification notification;
    };

    NotificationGrouper grouper;
    SilenceList silences;
    std::vector<Sent> sent;
};

QStringList describe(const Notification& n)
{
    QStringList parts;
    for (const Alert& alert : n.alerts)
        parts.append(alert.rule + (alert.isResolved() ? QStringLiteral(":resolved") : QString()));
    return parts;
}

} // namespace

class TestNotificationGrouper : public QObject
{
    Q_OBJECT

private slots:
    void firstMessageWaitsForGroupWait();
    void alertsArrivingWithinGroupWaitShareAMessage();
    void eachServiceIsItsOwnGroup();
    void fireAndResolveWithinGroupWaitSendsNothing();
    void laterChangesWaitForGroupInterval();
    void resolvedSentOnceAndOnlyIfItsFiringWas();
    void repeatsAfterRepeatInterval_data();
    void repeatsAfterRepeatInterval();
    void unchangedUpdatesAreNotNews();
    void floodOfFlapsCostsAHandfulOfMessages_data();
    void floodOfFlapsCostsAHandfulOfMessages();
    void floodFromTheRulesCostsAHandfulOfMessages();
    void silencedAlertsAreLeftOut();
    void silencedFromTheStartIsSentOnceTheSilenceEnds();
    void silencedAfterSendingIsNotRepeatedUntilItEnds();
    void flushAllReturnsWhatIsPending();
    void flushAllLeavesOutSilencedAndCancelledOut();
    void nextFlushAtTracksTheEarliestDue();
};

void TestNotificationGrouper::firstMessageWaitsForGroupWait()
{
    Harness h(routing());
    QVERIFY(!h.grouper.nextFlushAt());
    QVERIFY(h.flush(0s).empty());
    h.update(firingAlert(alertrule::kBreakerOpen), 0s);
    QCOMPARE(h.grouper.nextFlushAt(), std::optional(steadyAt(1s)));
    QVERIFY(h.flush(0s).empty());
    QVERIFY(h.flush(999ms).empty());
    const std::vector<Notification> out = h.flush(1s);
    QCOMPARE(out.size(), std::size_t(1));
    const Notification& n = out.front();
    QCOMPARE(n.service, kElevenLabs);
    QCOMPARE(n.createdAt, wallAt(1s));
    QCOMPARE(describe(n), QStringList{alertrule::kBreakerOpen});
    QVERIFY(n.isFiring());
    // Said once.
    QCOMPARE(h.flushEvery(100ms, 1100ms, 10min), std::size_t(0));
}

void TestNotificationGrouper::alertsArrivingWithinGroupWaitShareAMessage()
{
    Harness h(routing());
    h.update(firingAlert(alertrule::kBreakerOpen), 0s);
    h.update(firingAlert(alertrule::kBreakerFlapping), 500ms);
    // A later arrival does not push the group's first message back.
    h.update(firingAlert(alertrule::kRetriesExhausted), 999ms);
    QVERIFY(h.flush(999ms).empty());
    const std::vector<Notification> out = h.flush(1s);
    QCOMPARE(out.size(), std::size_t(1));
    QStringList rules = describe(out.front());
    rules.sort();
    QCOMPARE(rules, (QStringList{alertrule::kBreakerFlapping, alertrule::kBreakerOpen,
                                 alertrule::kRetriesExhausted}));
    QCOMPARE(out.front().firingCount(), 3);
}

void TestNotificationGrouper::eachServiceIsItsOwnGroup()
{
    Harness h(routing());
    h.update(firingAlert(alertrule::kBreakerOpen, kElevenLabs), 0s);
    h.update(firingAlert(alertrule::kBreakerOpen, kOther), 400ms);
    const std::vector<Notification> first = h.flush(1s);
    QCOMPARE(first.size(), std::size_t(1));
    QCOMPARE(first.front().service, kElevenLabs);
    const std::vector<Notification> second = h.flush(1400ms);
    QCOMPARE(second.size(), std::size_t(1));
    QCOMPARE(second.front().service, kOther);
    QCOMPARE(second.front().alerts.size(), std::size_t(1));
    QCOMPARE(second.front().alerts.front().service, kOther);
}

void TestNotificationGrouper::fireAndResolveWithinGroupWaitSendsNothing()
{
    Harness h(routing());
    const Alert open = firingAlert(alertrule::kBreakerOpen);
    h.update(open, 0s);
    h.update(resolvedCopy(open, wallAt(300ms)), 300ms);
    QCOMPARE(h.flushEvery(100ms, 0s, 5h), std::size_t(0));
    QVERIFY(!h.grouper.nextFlushAt());
    QCOMPARE(h.grouper.flushAll(wallAt(5h), h.silences).size(), std::size_t(0));
}

void TestNotificationGrouper::laterChangesWaitForGroupInterval()
{
    Harness h(routing());
    h.update(firingAlert(alertrule::kBreakerOpen), 0s);
    QCOMPARE(h.flush(1s).size(), std::size_t(1));
    h.update(firingAlert(alertrule::kBreakerStuck), 2s);
    QCOMPARE(h.grouper.nextFlushAt(), std::optional(steadyAt(6s)));
    QCOMPARE(h.flushEvery(100ms, 1100ms, 5900ms), std::size_t(0));
    const std::vector<Notification> out = h.flush(6s);
    QCOMPARE(out.size(), std::size_t(1));
    QStringList rules = describe(out.front());
    rules.sort();
    // The whole group, as Alertmanager sends it: what is new and what still fires.
    QCOMPARE(rules, (QStringList{alertrule::kBreakerOpen, alertrule::kBreakerStuck}));

    // A change long after the last message goes out at once, groupInterval being over.
    h.update(firingAlert(alertrule::kBreakerFlapping), 1min);
    QCOMPARE(h.grouper.nextFlushAt(), std::optional(steadyAt(1min)));
    QCOMPARE(h.flush(1min).size(), std::size_t(1));
}

void TestNotificationGrouper::resolvedSentOnceAndOnlyIfItsFiringWas()
{
    Harness h(routing());
    const Alert open = firingAlert(alertrule::kBreakerOpen);
    h.update(open, 0s);
    QCOMPARE(h.flush(1s).size(), std::size_t(1));

    // Raised and resolved between two messages: nobody heard of it, nobody hears of its end.
    const Alert stuck = firingAlert(alertrule::kBreakerStuck);
    h.update(stuck, 2s);
    h.update(resolvedCopy(stuck, wallAt(3s)), 3s);
    h.update(resolvedCopy(open, wallAt(4s)), 4s);
    QCOMPARE(h.flushEvery(100ms, 1100ms, 5900ms), std::size_t(0));
    const std::vector<Notification> out = h.flush(6s);
    QCOMPARE(out.size(), std::size_t(1));
    const Notification& n = out.front();
    QCOMPARE(describe(n), QStringList{alertrule::kBreakerOpen + QStringLiteral(":resolved")});
    QVERIFY(!n.isFiring());
    QCOMPARE(n.resolvedCount(), 1);
    QCOMPARE(*n.alerts.front().endsAt, wallAt(4s));

    QCOMPARE(h.flushEvery(100ms, 6100ms, 5h), std::size_t(0));
    QVERIFY(!h.grouper.nextFlushAt());
    QVERIFY(h.grouper.flushAll(wallAt(5h), h.silences).empty());
}

void TestNotificationGrouper::repeatsAfterRepeatInterval_data()
{
    QTest::addColumn<Duration>("repeat");
    QTest::addRow("4 h") << Duration(4h);
    QTest::addRow("1 min") << Duration(1min);
}

void TestNotificationGrouper::repeatsAfterRepeatInterval()
{
    QFETCH(Duration, repeat);
    Harness h(routing(1s, 5s, repeat));
    h.update(firingAlert(alertrule::kBreakerOpen), 0s);
    QCOMPARE(h.flush(1s).size(), std::size_t(1));
    QCOMPARE(h.grouper.nextFlushAt(), std::optional(steadyAt(1s + repeat)));
    QCOMPARE(h.flushEvery(1s, 2s, repeat), std::size_t(0));
    const std::vector<Notification> out = h.flush(1s + repeat);
    QCOMPARE(out.size(), std::size_t(1));
    QCOMPARE(describe(out.front()), QStringList{alertrule::kBreakerOpen});
    QCOMPARE(out.front().createdAt, wallAt(1s + repeat));
    // And again one repeatInterval later, not sooner.
    QCOMPARE(h.flushEvery(1s, 2s + repeat, 2 * repeat), std::size_t(0));
    QCOMPARE(h.flush(1s + 2 * repeat).size(), std::size_t(1));
}

void TestNotificationGrouper::unchangedUpdatesAreNotNews()
{
    Harness h(routing());
    Alert open = firingAlert(alertrule::kBreakerOpen);
    h.update(open, 0s);
    QCOMPARE(h.flush(1s).size(), std::size_t(1));
    // The same alert again (a rule re-evaluated, a text reworded): the same firing set.
    open.summary = QStringLiteral("reworded");
    for (int i = 0; i < 100; ++i)
        h.update(open, 2s + 100ms * i);
    QCOMPARE(h.flushEvery(100ms, 1100ms, 1h), std::size_t(0));
}

void TestNotificationGrouper::floodOfFlapsCostsAHandfulOfMessages_data()
{
    QTest::addColumn<Duration>("groupWait");
    QTest::addColumn<Duration>("groupInterval");
    QTest::addRow("defaults, 1 s / 5 s") << Duration(1s) << Duration(5s);
    QTest::addRow("30 s / 5 min") << Duration(30s) << Duration(5min);
    QTest::addRow("100 ms / 10 s") << Duration(100ms) << Duration(10s);
}

void TestNotificationGrouper::floodOfFlapsCostsAHandfulOfMessages()
{
    QFETCH(Duration, groupWait);
    QFETCH(Duration, groupInterval);
    Harness h(routing(groupWait, groupInterval, 4h));
    const Alert open = firingAlert(alertrule::kBreakerOpen);

    // 1,000 alternating raises and resolutions, one every 60 ms: a minute of flapping, with
    // flush() on a 100 ms tick as the dispatcher calls it.
    constexpr int kUpdates = 1000;
    constexpr Duration kStep = 60ms;
    constexpr Duration kTick = 100ms;
    const Duration minute = kUpdates * kStep;
    int update = 0;
    for (Duration t = 0ms; t <= minute; t += 10ms) {
        while (update < kUpdates && update * kStep <= t) {
            const Duration when = update * kStep;
            h.update(update % 2 == 0 ? open : resolvedCopy(open, wallAt(when)), when);
            ++update;
        }
        if (t % kTick == 0ms)
            h.flush(t);
    }
    QCOMPARE(update, kUpdates);
    const std::size_t duringTheMinute = h.sent.size();
    const auto bound = std::size_t(minute / groupInterval + 1);
    QVERIFY2(duringTheMinute >= 1, "people must hear of the outage at all");
    QVERIFY2(duringTheMinute <= bound,
             qPrintable(QStringLiteral("%1 messages in a minute of flapping, at most %2 expected")
                            .arg(duringTheMinute)
                            .arg(bound)));
    // Never two messages of the group closer than groupInterval.
    for (std::size_t i = 1; i < h.sent.size(); ++i) {
        QVERIFY2(h.sent[i].at - h.sent[i - 1].at >= groupInterval,
                 qPrintable(QStringLiteral("messages %1 and %2 only %3 ms apart")
                                .arg(i - 1)
                                .arg(i)
                                .arg(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         h.sent[i].at - h.sent[i - 1].at)
                                         .count())));
    }
    // The flapping is over and the last word was a resolution: once the dust settles people are
    // told the alert resolved (if they were told it fired), and then nothing more.
    h.flushEvery(kTick, minute + kTick, minute + 2 * groupInterval + groupWait);
    QVERIFY(h.sent.size() <= bound + 1);
    QVERIFY(!h.sent.empty());
    QVERIFY2(!h.sent.back().notification.isFiring(), "the last message must say it resolved");
    const std::size_t settled = h.sent.size();
    QCOMPARE(h.flushEvery(1s, minute + 3 * groupInterval, minute + 5h), std::size_t(0));
    QCOMPARE(h.sent.size(), settled);
    QVERIFY(!h.grouper.nextFlushAt());
}

// The same storm, made by the rules from breaker transitions, as the alert manager feeds it.
void TestNotificationGrouper::floodFromTheRulesCostsAHandfulOfMessages()
{
    AlertRules rules(AlertRuleSettings{});
    Harness h(routing());
    int alertChanges = 0;
    Duration t = 0ms;
    for (int i = 0; i < 500; ++i, t += 120ms) {
        Event event;
        event.type = EventType::BreakerTransition;
        event.service = kElevenLabs;
        event.time = wallAt(t);
        event.fromState = BreakerState::Closed;
        event.toState = BreakerState::Open;
        for (const Alert& alert : rules.onEvent(event)) {
            h.update(alert, t);
            ++alertChanges;
        }
        event.time = wallAt(t + 60ms);
        event.fromState = BreakerState::Open;
        event.toState = BreakerState::Closed;
        for (const Alert& alert : rules.onEvent(event)) {
            h.update(alert, t + 60ms);
            ++alertChanges;
        }
        h.flush(t);
        h.flush(t + 100ms);
    }
    QVERIFY(alertChanges >= 1000);
    QVERIFY2(h.sent.size() <= std::size_t(60s / 5s + 1),
             qPrintable(QString::number(h.sent.size())));
    QVERIFY(!h.sent.empty());
}

void TestNotificationGrouper::silencedAlertsAreLeftOut()
{
    Harness h(routing());
    h.silences.add(Silence{alertrule::kBreakerFlapping, QStringLiteral("*"), std::nullopt});
    h.update(firingAlert(alertrule::kBreakerOpen), 0s);
    h.update(firingAlert(alertrule::kBreakerFlapping), 0s);
    const std::vector<Notification> out = h.flush(1s);
    QCOMPARE(out.size(), std::size_t(1));
    QCOMPARE(describe(out.front()), QStringList{alertrule::kBreakerOpen});
    // A group with nothing but silenced alerts says nothing.
    h.update(firingAlert(alertrule::kBreakerFlapping, kOther), 2s);
    QCOMPARE(h.flushEvery(100ms, 1100ms, 1h), std::size_t(0));
}

void TestNotificationGrouper::silencedFromTheStartIsSentOnceTheSilenceEnds()
{
    Harness h(routing());
    h.silences.add(Silence{alertrule::kBreakerOpen, kElevenLabs, wallAt(10min)});
    h.update(firingAlert(alertrule::kBreakerOpen), 0s);
    QCOMPARE(h.flushEvery(100ms, 0s, 10min - 100ms), std::size_t(0));
    // silence.h: silenced alerts "go out after it ends if still firing (flush() is called at
    // least every second)".
    QCOMPARE(h.flushEvery(1s, 10min, 10min + 1s), std::size_t(1));
    QCOMPARE(describe(h.sent.back().notification), QStringList{alertrule::kBreakerOpen});
    QCOMPARE(h.flushEvery(1s, 10min + 2s, 1h), std::size_t(0));
}

void TestNotificationGrouper::silencedAfterSendingIsNotRepeatedUntilItEnds()
{
    Harness h(routing(1s, 5s, 1h));
    h.update(firingAlert(alertrule::kBreakerOpen), 0s);
    QCOMPARE(h.flush(1s).size(), std::size_t(1));
    h.silences.add(Silence{QStringLiteral("*"), kElevenLabs, wallAt(3h)});
    // The repeats at 1:00:01 and 2:00:01 are muted.
    QCOMPARE(h.flushEvery(1s, 2s, 3h - 1s), std::size_t(0));
    // Once the silence ends the still-firing alert goes out again, within a second.
    QCOMPARE(h.flushEvery(1s, 3h, 3h + 1s), std::size_t(1));
    QVERIFY(h.sent.back().notification.isFiring());
    QCOMPARE(h.flushEvery(1s, 3h + 2s, 3h + 30min), std::size_t(0));
}

void TestNotificationGrouper::flushAllReturnsWhatIsPending()
{
    Harness h(routing());
    h.update(firingAlert(alertrule::kBreakerOpen), 0s);
    h.update(firingAlert(alertrule::kBreakerOpen, kOther), 0s);
    std::vector<Notification> out = h.grouper.flushAll(wallAt(200ms), h.silences);
    QCOMPARE(out.size(), std::size_t(2));
    QCOMPARE(out.front().createdAt, wallAt(200ms));
    // Pending no more: a flush afterwards does not send them twice.
    QCOMPARE(h.flushEvery(100ms, 300ms, 10min), std::size_t(0));

    // A change still inside groupInterval is pending too.
    const Alert stuck = firingAlert(alertrule::kBreakerStuck);
    h.update(stuck, 11min);
    h.flush(11min); // groupInterval since the flushAll is over: sent now
    QCOMPARE(h.sent.size(), std::size_t(1));
    h.update(resolvedCopy(stuck, wallAt(11min + 1s)), 11min + 1s);
    out = h.grouper.flushAll(wallAt(11min + 2s), h.silences);
    QCOMPARE(out.size(), std::size_t(1));
    QCOMPARE(describe(out.front()),
             (QStringList{alertrule::kBreakerOpen,
                          alertrule::kBreakerStuck + QStringLiteral(":resolved")}));
    // Nothing pending: nothing to say.
    QVERIFY(h.grouper.flushAll(wallAt(11min + 3s), h.silences).empty());
}

void TestNotificationGrouper::flushAllLeavesOutSilencedAndCancelledOut()
{
    Harness h(routing());
    h.silences.add(Silence{alertrule::kBreakerFlapping, QStringLiteral("*"), std::nullopt});
    h.update(firingAlert(alertrule::kBreakerFlapping), 0s);
    const Alert open = firingAlert(alertrule::kBreakerOpen, kOther);
    h.update(open, 0s);
    h.update(resolvedCopy(open, wallAt(100ms)), 100ms);
    QVERIFY(h.grouper.flushAll(wallAt(200ms), h.silences).empty());
}

void TestNotificationGrouper::nextFlushAtTracksTheEarliestDue()
{
    Harness h(routing(1s, 5s, 1h));
    h.update(firingAlert(alertrule::kBreakerOpen, kElevenLabs), 0s);
    h.update(firingAlert(alertrule::kBreakerOpen, kOther), 300ms);
    QCOMPARE(h.grouper.nextFlushAt(), std::optional(steadyAt(1s)));
    h.flush(1s);
    QCOMPARE(h.grouper.nextFlushAt(), std::optional(steadyAt(1300ms)));
    h.flush(1300ms);
    QCOMPARE(h.sent.size(), std::size_t(2));
    // Both sent: the next thing to do is the first repeat.
    QCOMPARE(h.grouper.nextFlushAt(), std::optional(steadyAt(1h + 1s)));
}

QTEST_APPLESS_MAIN(TestNotificationGrouper)
#include "tst_notificationgrouper.moc"
