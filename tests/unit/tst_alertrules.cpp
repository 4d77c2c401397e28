#include "alerts/alertrules.h"
#include "alerttesthelpers.h"
#include "qtestprinters.h"

#include <QRegularExpression>
#include <QTest>

#include <algorithm>

using namespace std::chrono_literals;
using namespace breakwater;
using namespace breakwater::alerttest;

namespace {

const QString kOther = QStringLiteral("other_tts");

Event transition(Duration at, BreakerState from, BreakerState to,
                 const QString& service = kElevenLabs)
{
    Event event;
    event.time = wallAt(at);
    event.type = EventType::BreakerTransition;
    event.service = service;
    event.state = to;
    event.fromState = from;
    event.toState = to;
    event.message = QStringLiteral("%1 -> %2").arg(breakerStateName(from), breakerStateName(to));
    return event;
}

Event callFailed(Duration at, const QString& reason, const QString& service = kElevenLabs,
                 std::uint64_t callId = 7)
{
    Event event;
    event.time = wallAt(at);
    event.type = EventType::CallFailed;
    event.level = EventLevel::Error;
    event.service = service;
    event.callId = callId;
    event.attempt = 3;
    event.reason = reason;
    event.errorKind = ErrorKind::Transient;
    event.httpStatus = 503;
    event.message = QStringLiteral("service unavailable");
    return event;
}

Event refused(Duration at, ErrorKind kind, int status, const QString& code,
              const QString& service = kElevenLabs)
{
    Event event;
    event.time = wallAt(at);
    event.type = EventType::CallFailed;
    event.level = EventLevel::Error;
    event.service = service;
    event.callId = 9;
    event.attempt = 1;
    event.reason = QStringLiteral("permanent_error");
    event.errorKind = kind;
    event.httpStatus = status;
    event.errorCode = code;
    event.message = QStringLiteral("refused");
    return event;
}

Event callSucceeded(Duration at, const QString& service = kElevenLabs)
{
    Event event;
    event.time = wallAt(at);
    event.type = EventType::CallSucceeded;
    event.service = service;
    event.callId = 11;
    event.attempt = 1;
    return event;
}

AlertRuleSettings defaultRules()
{
    return AlertRuleSettings{}; // 5 min stuck, 3 trips in 10 min, 5 exhausted calls in 1 min
}

QStringList rulesOf(const std::vector<Alert>& alerts)
{
    QStringList rules;
    for (const Alert& alert : alerts)
        rules.append(alert.rule + (alert.isResolved() ? QStringLiteral(":resolved") : QString()));
    return rules;
}

QStringList activeRules(const AlertRules& rules)
{
    QStringList names = rulesOf(rules.active());
    names.sort();
    return names;
}

// Feeds one outage: closed -> open, and optionally the breaker closing again.
std::vector<Alert> trip(AlertRules& rules, Duration at, const QString& service = kElevenLabs)
{
    return rules.onEvent(transition(at, BreakerState::Closed, BreakerState::Open, service));
}

std::vector<Alert> recover(AlertRules& rules, Duration at, const QString& service = kElevenLabs)
{
    std::vector<Alert> changes =
        rules.onEvent(transition(at, BreakerState::Open, BreakerState::HalfOpen, service));
    const std::vector<Alert> closed =
        rules.onEvent(transition(at + 1ms, BreakerState::HalfOpen, BreakerState::Closed, service));
    changes.insert(changes.end(), closed.begin(), closed.end());
    return changes;
}

} // namespace

class TestAlertRules : public QObject
{
    Q_OBJECT

private slots:
    // alert.h
    void fingerprintIsPinned_data();
    void fingerprintIsPinned();
    void fingerprintTellsAlertsApart_data();
    void fingerprintTellsAlertsApart();
    void fingerprintIgnoresSeverity();
    void allLabelsAddsTheReceiverLabels();
    void severityNamesRoundTrip();

    // breaker_open
    void breakerOpenRaisedOnceAndResolvedOnClose();
    void breakerOpenFromFailedTrialIsTheSameOutage();
    void forcedOpenIsAWarning();
    void disablingTheBreakerResolves();
    void breakerOpenIsPerService();
    void reopeningAfterRecoveryIsANewAlert();

    // breaker_stuck
    void stuckAfterTheConfiguredTime_data();
    void stuckAfterTheConfiguredTime();
    void stuckCountsFromTheFirstOpenNotTheLastReopen();
    void stuckRaisedOnceAndResolvedWithTheOutage();
    void forcedOpenIsNeverStuck();

    // breaker_flapping
    void flappingCountsTripsWithinTheWindow_data();
    void flappingCountsTripsWithinTheWindow();
    void flappingIgnoresFailedHalfOpenTrials();
    void flappingResolvesOnceTripsAgeOut();

    // retries_exhausted
    void retriesExhaustedCountsCallsWithinTheWindow_data();
    void retriesExhaustedCountsCallsWithinTheWindow();
    void retriesExhaustedRaisedOnceAndResolvedWhenCallsAgeOut();
    void retriesExhaustedIsPerService();

    // permanent_error
    void permanentErrorNeedsAPerson_data();
    void permanentErrorNeedsAPerson();
    void permanentErrorOncePerServiceAndCode();
    void permanentErrorResolvedByTheNextGoodCall();

    void otherEventsRaiseNothing();
};

// Fingerprints must not change between versions: receivers de-duplicate by them. The expected
// values were computed outside Qt (Python's hashlib) from SHA-256 over each of rule, service and
// label name/value pairs followed by a 0x1f separator, first 16 hex digits.
void TestAlertRules::fingerprintIsPinned_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("labelName");
    QTest::addColumn<QString>("labelValue");
    QTest::addColumn<QString>("expected");
    QTest::addRow("breaker_open") << alertrule::kBreakerOpen << QString() << QString()
                                  << QStringLiteral("13144f5f9d9eff18");
    QTest::addRow("permanent_error quota_exceeded")
        << alertrule::kPermanentError << QStringLiteral("error_code")
        << QStringLiteral("quota_exceeded") << QStringLiteral("7e7a2e28c5d4e787");
}

void TestAlertRules::fingerprintIsPinned()
{
    QFETCH(QString, rule);
    QFETCH(QString, labelName);
    QFETCH(QString, labelValue);
    QFETCH(QString, expected);
    AlertLabels labels;
    if (!labelName.isEmpty())
        labels[labelName] = labelValue;
    QCOMPARE(alertFingerprint(rule, kElevenLabs, labels), expected);
    QCOMPARE(makeAlert(rule, kElevenLabs, labels, AlertSeverity::Info, kWallStart).fingerprint,
             expected);
}

void TestAlertRules::fingerprintTellsAlertsApart_data()
{
    QTest::addColumn<QString>("ruleA");
    QTest::addColumn<QString>("serviceA");
    QTest::addColumn<AlertLabels>("labelsA");
    QTest::addColumn<QString>("ruleB");
    QTest::addColumn<QString>("serviceB");
    QTest::addColumn<AlertLabels>("labelsB");
    const QString open = alertrule::kBreakerOpen;
    const QString a = QStringLiteral("a");
    const QString b = QStringLiteral("b");
    const QString c = QStringLiteral("c");
    QTest::addRow("rule") << open << kElevenLabs << AlertLabels{} << alertrule::kBreakerStuck
                          << kElevenLabs << AlertLabels{};
    QTest::addRow("service") << open << kElevenLabs << AlertLabels{} << open << kOther
                             << AlertLabels{};
    QTest::addRow("label value") << open << kElevenLabs << AlertLabels{{a, b}} << open
                                 << kElevenLabs << AlertLabels{{a, c}};
    QTest::addRow("label present")
        << open << kElevenLabs << AlertLabels{{a, b}} << open << kElevenLabs << AlertLabels{};
    QTest::addRow("rule/service boundary")
        << QStringLiteral("ab") << c << AlertLabels{} << a << QStringLiteral("bc") << AlertLabels{};
    QTest::addRow("label name/value boundary")
        << open << kElevenLabs << AlertLabels{{QStringLiteral("ab"), c}} << open << kElevenLabs
        << AlertLabels{{a, QStringLiteral("bc")}};
    QTest::addRow("label name and value swapped")
        << open << kElevenLabs << AlertLabels{{a, b}} << open << kElevenLabs << AlertLabels{{b, a}};
}

void TestAlertRules::fingerprintTellsAlertsApart()
{
    QFETCH(QString, ruleA);
    QFETCH(QString, serviceA);
    QFETCH(AlertLabels, labelsA);
    QFETCH(QString, ruleB);
    QFETCH(QString, serviceB);
    QFETCH(AlertLabels, labelsB);
    const QString first = alertFingerprint(ruleA, serviceA, labelsA);
    const QString second = alertFingerprint(ruleB, serviceB, labelsB);
    static const QRegularExpression hex16(QStringLiteral("^[0-9a-f]{16}$"));
    QVERIFY2(hex16.match(first).hasMatch(), qPrintable(first));
    QVERIFY2(hex16.match(second).hasMatch(), qPrintable(second));
    QCOMPARE_NE(first, second);
    // Stable: the same input, the same answer.
    QCOMPARE(alertFingerprint(ruleA, serviceA, labelsA), first);
}

void TestAlertRules::fingerprintIgnoresSeverity()
{
    const Alert critical =
        makeAlert(alertrule::kBreakerOpen, kElevenLabs, {}, AlertSeverity::Critical, wallAt(0s));
    const Alert warning =
        makeAlert(alertrule::kBreakerOpen, kElevenLabs, {}, AlertSeverity::Warning, wallAt(1h));
    QCOMPARE(critical.fingerprint, warning.fingerprint);
    QCOMPARE(critical.fingerprint, alertFingerprint(alertrule::kBreakerOpen, kElevenLabs, {}));
    QCOMPARE(critical.severity, AlertSeverity::Critical);
    QCOMPARE(warning.startsAt, wallAt(1h));
    QVERIFY(!warning.isResolved());
}

void TestAlertRules::allLabelsAddsTheReceiverLabels()
{
    const Alert alert =
        makeAlert(alertrule::kPermanentError, kElevenLabs,
                  {{QStringLiteral("error_code"), QStringLiteral("quota_exceeded")}},
                  AlertSeverity::Warning, kWallStart);
    const AlertLabels expected = {
        {QStringLiteral("alertname"), alertrule::kPermanentError},
        {QStringLiteral("error_code"), QStringLiteral("quota_exceeded")},
        {QStringLiteral("service"), kElevenLabs},
        {QStringLiteral("severity"), QStringLiteral("warning")},
    };
    QCOMPARE(alert.allLabels(), expected);
}

void TestAlertRules::severityNamesRoundTrip()
{
    for (const AlertSeverity severity :
         {AlertSeverity::Info, AlertSeverity::Warning, AlertSeverity::Critical}) {
        QCOMPARE(alertSeverityFromName(alertSeverityName(severity)), severity);
    }
    QCOMPARE(alertSeverityName(AlertSeverity::Critical), QStringLiteral("critical"));
    QVERIFY(!alertSeverityFromName(u"Critical"));
    QVERIFY(!alertSeverityFromName(u""));
}

void TestAlertRules::breakerOpenRaisedOnceAndResolvedOnClose()
{
    AlertRules rules(defaultRules());
    const std::vector<Alert> raised = trip(rules, 10s);
    QCOMPARE(rulesOf(raised), QStringList{alertrule::kBreakerOpen});
    const Alert& open = raised.front();
    QCOMPARE(open.service, kElevenLabs);
    QCOMPARE(open.severity, AlertSeverity::Critical);
    QCOMPARE(open.startsAt, wallAt(10s));
    QCOMPARE(open.fingerprint, alertFingerprint(alertrule::kBreakerOpen, kElevenLabs, {}));
    QVERIFY(!open.isResolved());
    QVERIFY(!open.summary.isEmpty());
    QCOMPARE(activeRules(rules), QStringList{alertrule::kBreakerOpen});

    QVERIFY(rules.onEvent(transition(40s, BreakerState::Open, BreakerState::HalfOpen, kElevenLabs))
                .empty());
    const std::vector<Alert> closed =
        rules.onEvent(transition(41s, BreakerState::HalfOpen, BreakerState::Closed));
    QCOMPARE(rulesOf(closed), QStringList{alertrule::kBreakerOpen + QStringLiteral(":resolved")});
    const Alert& resolved = closed.front();
    QCOMPARE(resolved.fingerprint, open.fingerprint);
    QCOMPARE(resolved.startsAt, wallAt(10s));
    QVERIFY(resolved.endsAt.has_value());
    QCOMPARE(*resolved.endsAt, wallAt(41s));
    QVERIFY(!resolved.summary.isEmpty());
    QVERIFY(rules.active().empty());

    // Resolved once: closing again says nothing.
    QVERIFY(rules.onEvent(transition(50s, BreakerState::Closed, BreakerState::Closed)).empty());
}

void TestAlertRules::breakerOpenFromFailedTrialIsTheSameOutage()
{
    AlertRules rules(defaultRules());
    QCOMPARE(trip(rules, 0s).size(), std::size_t(1));
    for (int i = 0; i < 20; ++i) {
        const Duration t = 30s * (i + 1);
        QVERIFY(rules.onEvent(transition(t, BreakerState::Open, BreakerState::HalfOpen)).empty());
        QVERIFY(
            rules.onEvent(transition(t + 1s, BreakerState::HalfOpen, BreakerState::Open)).empty());
    }
    const std::vector<Alert> active = rules.active();
    QCOMPARE(active.size(), std::size_t(1));
    QCOMPARE(active.front().rule, alertrule::kBreakerOpen);
    QCOMPARE(active.front().startsAt, wallAt(0s));
}

void TestAlertRules::forcedOpenIsAWarning()
{
    AlertRules rules(defaultRules());
    const std::vector<Alert> raised =
        rules.onEvent(transition(5s, BreakerState::Closed, BreakerState::ForcedOpen));
    QCOMPARE(rulesOf(raised), QStringList{alertrule::kBreakerOpen});
    QCOMPARE(raised.front().severity, AlertSeverity::Warning);
    QVERIFY(raised.front().summary.contains(QStringLiteral("operator")));
    // An operator's forced-open is the same alert as an outage's, whatever its severity.
    QCOMPARE(raised.front().fingerprint,
             alertFingerprint(alertrule::kBreakerOpen, kElevenLabs, {}));

    const std::vector<Alert> closed =
        rules.onEvent(transition(60s, BreakerState::ForcedOpen, BreakerState::Closed));
    QCOMPARE(rulesOf(closed), QStringList{alertrule::kBreakerOpen + QStringLiteral(":resolved")});
    QVERIFY(rules.active().empty());
}

void TestAlertRules::disablingTheBreakerResolves()
{
    AlertRules rules(defaultRules());
    trip(rules, 0s);
    const std::vector<Alert> changes =
        rules.onEvent(transition(10s, BreakerState::Open, BreakerState::Disabled));
    QCOMPARE(rulesOf(changes), QStringList{alertrule::kBreakerOpen + QStringLiteral(":resolved")});
    QCOMPARE(*changes.front().endsAt, wallAt(10s));
    QVERIFY(rules.active().empty());
    QVERIFY(rules.evaluate(wallAt(1h)).empty());
}

void TestAlertRules::breakerOpenIsPerService()
{
    AlertRules rules(defaultRules());
    const std::vector<Alert> first = trip(rules, 0s, kElevenLabs);
    const std::vector<Alert> second = trip(rules, 1s, kOther);
    QCOMPARE(first.size(), std::size_t(1));
    QCOMPARE(second.size(), std::size_t(1));
    QCOMPARE(second.front().service, kOther);
    QCOMPARE_NE(first.front().fingerprint, second.front().fingerprint);
    QCOMPARE(rules.active().size(), std::size_t(2));

    const std::vector<Alert> closed = recover(rules, 5s, kOther);
    QCOMPARE(closed.size(), std::size_t(1));
    QCOMPARE(closed.front().service, kOther);
    const std::vector<Alert> active = rules.active();
    QCOMPARE(active.size(), std::size_t(1));
    QCOMPARE(active.front().service, kElevenLabs);
}

void TestAlertRules::reopeningAfterRecoveryIsANewAlert()
{
    AlertRules rules(defaultRules());
    trip(rules, 0s);
    recover(rules, 30s);
    const std::vector<Alert> again = trip(rules, 20min);
    QCOMPARE(rulesOf(again), QStringList{alertrule::kBreakerOpen});
    QCOMPARE(again.front().startsAt, wallAt(20min));
    QVERIFY(!again.front().isResolved());
}

void TestAlertRules::stuckAfterTheConfiguredTime_data()
{
    QTest::addColumn<Duration>("stuckAfter");
    QTest::addColumn<Duration>("evaluatedAfter");
    QTest::addColumn<bool>("stuck");
    QTest::addRow("default, just before") << Duration(5min) << Duration(5min - 1ms) << false;
    QTest::addRow("default, exactly") << Duration(5min) << Duration(5min) << true;
    QTest::addRow("default, long after") << Duration(5min) << Duration(3h) << true;
    QTest::addRow("30 s, before") << Duration(30s) << Duration(29s) << false;
    QTest::addRow("30 s, after") << Duration(30s) << Duration(31s) << true;
}

void TestAlertRules::stuckAfterTheConfiguredTime()
{
    QFETCH(Duration, stuckAfter);
    QFETCH(Duration, evaluatedAfter);
    QFETCH(bool, stuck);
    AlertRuleSettings settings;
    settings.stuckAfter = stuckAfter;
    AlertRules rules(settings);
    const Duration openedAt = 7s;
    trip(rules, openedAt);
    const std::vector<Alert> changes = rules.evaluate(wallAt(openedAt + evaluatedAfter));
    if (!stuck) {
        QVERIFY(changes.empty());
        return;
    }
    QCOMPARE(rulesOf(changes), QStringList{alertrule::kBreakerStuck});
    QCOMPARE(changes.front().severity, AlertSeverity::Warning);
    QCOMPARE(changes.front().service, kElevenLabs);
    QVERIFY(!changes.front().summary.isEmpty());
}

void TestAlertRules::stuckCountsFromTheFirstOpenNotTheLastReopen()
{
    AlertRules rules(defaultRules());
    trip(rules, 0s);
    // Trials every 30 s, each failing: the outage goes on.
    Duration t = 0s;
    for (int i = 0; i < 9; ++i) {
        t += 30s;
        rules.onEvent(transition(t, BreakerState::Open, BreakerState::HalfOpen));
        rules.onEvent(transition(t + 1s, BreakerState::HalfOpen, BreakerState::Open));
    }
    QVERIFY(rules.evaluate(wallAt(4min + 59s)).empty());
    // Half-open counts as not closed too.
    rules.onEvent(transition(4min + 59s, BreakerState::Open, BreakerState::HalfOpen));
    QCOMPARE(rulesOf(rules.evaluate(wallAt(5min))), QStringList{alertrule::kBreakerStuck});
}

void TestAlertRules::stuckRaisedOnceAndResolvedWithTheOutage()
{
    AlertRules rules(defaultRules());
    trip(rules, 0s);
    QCOMPARE(rules.evaluate(wallAt(6min)).size(), std::size_t(1));
    for (Duration t = 6min; t < 30min; t += 1s)
        QVERIFY(rules.evaluate(wallAt(t)).empty());
    QCOMPARE(activeRules(rules), (QStringList{alertrule::kBreakerOpen, alertrule::kBreakerStuck}));

    const std::vector<Alert> closed = recover(rules, 30min);
    QStringList resolved = rulesOf(closed);
    resolved.sort();
    QCOMPARE(resolved, (QStringList{alertrule::kBreakerOpen + QStringLiteral(":resolved"),
                                    alertrule::kBreakerStuck + QStringLiteral(":resolved")}));
    QVERIFY(rules.active().empty());
    // A fresh outage is stuck only after its own stuckAfter.
    trip(rules, 40min);
    QVERIFY(rules.evaluate(wallAt(44min)).empty());
    QCOMPARE(rulesOf(rules.evaluate(wallAt(45min))), QStringList{alertrule::kBreakerStuck});
}

void TestAlertRules::forcedOpenIsNeverStuck()
{
    AlertRules rules(defaultRules());
    rules.onEvent(transition(0s, BreakerState::Closed, BreakerState::ForcedOpen));
    QVERIFY(rules.evaluate(wallAt(2h)).empty());
}

void TestAlertRules::flappingCountsTripsWithinTheWindow_data()
{
    QTest::addColumn<QList<int>>("tripSeconds");
    QTest::addColumn<bool>("flapping");
    // Default: 3 trips within 10 min.
    QTest::addRow("two trips") << QList<int>{0, 60} << false;
    QTest::addRow("three trips in a minute") << QList<int>{0, 20, 40} << true;
    QTest::addRow("three trips in 9:59") << QList<int>{0, 300, 599} << true;
    QTest::addRow("three trips in 10:01") << QList<int>{0, 300, 601} << false;
    QTest::addRow("spread, then three close") << QList<int>{0, 700, 1400, 1410, 1420} << true;
    QTest::addRow("every 6 min") << QList<int>{0, 360, 720, 1080, 1440} << false;
}

void TestAlertRules::flappingCountsTripsWithinTheWindow()
{
    QFETCH(QList<int>, tripSeconds);
    QFETCH(bool, flapping);
    AlertRules rules(defaultRules());
    int raised = 0;
    for (const int second : tripSeconds) {
        const Duration at = std::chrono::seconds(second);
        const std::vector<Alert> changes = trip(rules, at);
        QVERIFY(!changes.empty());
        QCOMPARE(changes.front().rule, alertrule::kBreakerOpen); // the outage first, then flapping
        for (const Alert& alert : changes) {
            if (alert.rule == alertrule::kBreakerFlapping) {
                ++raised;
                QCOMPARE(alert.severity, AlertSeverity::Warning);
                QCOMPARE(alert.startsAt, wallAt(at));
            }
        }
        recover(rules, at + 5s);
    }
    QCOMPARE(raised, flapping ? 1 : 0);
}

void TestAlertRules::flappingIgnoresFailedHalfOpenTrials()
{
    AlertRules rules(defaultRules());
    trip(rules, 0s);
    for (int i = 1; i <= 10; ++i) {
        const Duration t = 10s * i;
        rules.onEvent(transition(t, BreakerState::Open, BreakerState::HalfOpen));
        rules.onEvent(transition(t + 1s, BreakerState::HalfOpen, BreakerState::Open));
    }
    // Operator actions are not trips either.
    for (int i = 0; i < 3; ++i) {
        const Duration t = 3min + 10s * i;
        rules.onEvent(transition(t, BreakerState::Open, BreakerState::Closed));
        rules.onEvent(transition(t + 1s, BreakerState::Closed, BreakerState::ForcedOpen));
        rules.onEvent(transition(t + 2s, BreakerState::ForcedOpen, BreakerState::Closed));
    }
    QVERIFY(!activeRules(rules).contains(alertrule::kBreakerFlapping));
    QVERIFY(rules.evaluate(wallAt(4min)).empty());
}

void TestAlertRules::flappingResolvesOnceTripsAgeOut()
{
    AlertRules rules(defaultRules());
    for (const Duration at : {Duration(0s), Duration(1min), Duration(2min)}) {
        trip(rules, at);
        recover(rules, at + 10s);
    }
    QCOMPARE(activeRules(rules), QStringList{alertrule::kBreakerFlapping});
    // Raised once: a fourth trip in the window adds nothing new but the outage.
    QCOMPARE(rulesOf(trip(rules, 3min)), QStringList{alertrule::kBreakerOpen});
    recover(rules, 3min + 10s);

    QVERIFY(rules.evaluate(wallAt(9min)).empty());
    // At 11:00 the trips at 1:00, 2:00 and 3:00 are still within 10 min; at 12:30 only 3:00 is.
    QVERIFY(rules.evaluate(wallAt(11min)).empty());
    const std::vector<Alert> changes = rules.evaluate(wallAt(12min + 30s));
    QCOMPARE(rulesOf(changes),
             QStringList{alertrule::kBreakerFlapping + QStringLiteral(":resolved")});
    QCOMPARE(*changes.front().endsAt, wallAt(12min + 30s));
    QCOMPARE(changes.front().startsAt, wallAt(2min));
    QVERIFY(rules.active().empty());
    QVERIFY(rules.evaluate(wallAt(13min)).empty());
}

void TestAlertRules::retriesExhaustedCountsCallsWithinTheWindow_data()
{
    QTest::addColumn<QStringList>("reasons");
    QTest::addColumn<int>("spacingMs");
    QTest::addColumn<bool>("raised");
    const QString exhausted = QStringLiteral("retries_exhausted");
    const QString budget = QStringLiteral("retry_budget_exhausted");
    // Default: 5 calls within 1 min.
    QTest::addRow("four") << QStringList(4, exhausted) << 1000 << false;
    QTest::addRow("five in 4 s") << QStringList(5, exhausted) << 1000 << true;
    QTest::addRow("five in 59.996 s") << QStringList(5, exhausted) << 14999 << true;
    QTest::addRow("five in 60.004 s") << QStringList(5, exhausted) << 15001 << false;
    QTest::addRow("budget counts too")
        << QStringList{exhausted, budget, budget, exhausted, budget} << 100 << true;
    QTest::addRow("other reasons do not count") << QStringList{exhausted,
                                                               QStringLiteral("timeout"),
                                                               QStringLiteral("permanent_error"),
                                                               exhausted,
                                                               exhausted,
                                                               QStringLiteral("cancelled"),
                                                               exhausted}
                                                << 100 << false;
    QTest::addRow("many slow ones") << QStringList(50, exhausted) << 20000 << false;
}

void TestAlertRules::retriesExhaustedCountsCallsWithinTheWindow()
{
    QFETCH(QStringList, reasons);
    QFETCH(int, spacingMs);
    QFETCH(bool, raised);
    AlertRules rules(defaultRules());
    int alerts = 0;
    Duration at = 0s;
    for (const QString& reason : reasons) {
        for (const Alert& alert : rules.onEvent(callFailed(at, reason))) {
            ++alerts;
            QCOMPARE(alert.rule, alertrule::kRetriesExhausted);
            QCOMPARE(alert.severity, AlertSeverity::Warning);
            QCOMPARE(alert.startsAt, wallAt(at));
            QVERIFY(alert.description.contains(QStringLiteral("call-7")));
        }
        at += std::chrono::milliseconds(spacingMs);
    }
    QCOMPARE(alerts, raised ? 1 : 0);
}

void TestAlertRules::retriesExhaustedRaisedOnceAndResolvedWhenCallsAgeOut()
{
    AlertRules rules(defaultRules());
    const QString exhausted = QStringLiteral("retries_exhausted");
    int raised = 0;
    for (int i = 0; i < 20; ++i)
        raised += int(rules.onEvent(callFailed(1s * i, exhausted)).size());
    QCOMPARE(raised, 1);
    QVERIFY(rules.evaluate(wallAt(30s)).empty());
    // The last one failed at 19 s: at 75 s only calls from 15 s on are within the minute.
    QVERIFY(rules.evaluate(wallAt(75s)).empty());
    const std::vector<Alert> changes = rules.evaluate(wallAt(76s));
    QCOMPARE(rulesOf(changes),
             QStringList{alertrule::kRetriesExhausted + QStringLiteral(":resolved")});
    QCOMPARE(*changes.front().endsAt, wallAt(76s));
    QVERIFY(rules.active().empty());
    QVERIFY(rules.evaluate(wallAt(80s)).empty());

    // It can fire again later.
    for (int i = 0; i < 5; ++i)
        raised += int(rules.onEvent(callFailed(10min + 1s * i, exhausted)).size());
    QCOMPARE(raised, 2);
}

void TestAlertRules::retriesExhaustedIsPerService()
{
    AlertRules rules(defaultRules());
    const QString exhausted = QStringLiteral("retries_exhausted");
    for (int i = 0; i < 4; ++i) {
        QVERIFY(rules.onEvent(callFailed(1s * i, exhausted, kElevenLabs)).empty());
        QVERIFY(rules.onEvent(callFailed(1s * i, exhausted, kOther)).empty());
    }
    const std::vector<Alert> changes = rules.onEvent(callFailed(5s, exhausted, kOther));
    QCOMPARE(changes.size(), std::size_t(1));
    QCOMPARE(changes.front().service, kOther);
}

void TestAlertRules::permanentErrorNeedsAPerson_data()
{
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("expectedCode"); // empty: no alert
    QTest::addRow("invalid_api_key")
        << ErrorKind::Permanent << 401 << QStringLiteral("invalid_api_key")
        << QStringLiteral("invalid_api_key");
    QTest::addRow("quota_exceeded")
        << ErrorKind::Permanent << 401 << QStringLiteral("quota_exceeded")
        << QStringLiteral("quota_exceeded");
    QTest::addRow("401 without a code")
        << ErrorKind::Permanent << 401 << QString() << QStringLiteral("http_401");
    QTest::addRow("403 without a code")
        << ErrorKind::Permanent << 403 << QString() << QStringLiteral("http_403");
    QTest::addRow("403 with a code")
        << ErrorKind::Permanent << 403 << QStringLiteral("missing_permissions")
        << QStringLiteral("missing_permissions");
    QTest::addRow("transient 401")
        << ErrorKind::Transient << 401 << QStringLiteral("invalid_api_key") << QString();
    QTest::addRow("rejected") << ErrorKind::Rejected << 0 << QString() << QString();
    QTest::addRow("one caller's bad input")
        << ErrorKind::Permanent << 400 << QStringLiteral("text_too_long") << QString();
    QTest::addRow("422") << ErrorKind::Permanent << 422 << QString() << QString();
}

void TestAlertRules::permanentErrorNeedsAPerson()
{
    QFETCH(ErrorKind, kind);
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(QString, expectedCode);
    AlertRules rules(defaultRules());
    const std::vector<Alert> changes = rules.onEvent(refused(3s, kind, status, code));
    if (expectedCode.isEmpty()) {
        QVERIFY(changes.empty());
        return;
    }
    QCOMPARE(rulesOf(changes), QStringList{alertrule::kPermanentError});
    const Alert& alert = changes.front();
    QCOMPARE(alert.severity, AlertSeverity::Critical);
    QCOMPARE(alert.labels, (AlertLabels{{QStringLiteral("error_code"), expectedCode}}));
    QCOMPARE(alert.fingerprint,
             alertFingerprint(alertrule::kPermanentError, kElevenLabs, alert.labels));
    QCOMPARE(alert.startsAt, wallAt(3s));
    QVERIFY(alert.summary.contains(expectedCode));
}

void TestAlertRules::permanentErrorOncePerServiceAndCode()
{
    AlertRules rules(defaultRules());
    const QString quota = QStringLiteral("quota_exceeded");
    const QString key = QStringLiteral("invalid_api_key");
    int raised = 0;
    for (int i = 0; i < 50; ++i)
        raised += int(rules.onEvent(refused(1s * i, ErrorKind::Permanent, 401, quota)).size());
    QCOMPARE(raised, 1);
    QCOMPARE(rules.onEvent(refused(60s, ErrorKind::Permanent, 401, key)).size(), std::size_t(1));
    QCOMPARE(rules.onEvent(refused(61s, ErrorKind::Permanent, 401, quota, kOther)).size(),
             std::size_t(1));
    QCOMPARE(rules.active().size(), std::size_t(3));
    // Permanent refusals are not retries spent, however many.
    QVERIFY(!activeRules(rules).contains(alertrule::kRetriesExhausted));
}

void TestAlertRules::permanentErrorResolvedByTheNextGoodCall()
{
    AlertRules rules(defaultRules());
    rules.onEvent(refused(0s, ErrorKind::Permanent, 401, QStringLiteral("quota_exceeded")));
    rules.onEvent(refused(1s, ErrorKind::Permanent, 401, QStringLiteral("invalid_api_key")));
    rules.onEvent(refused(2s, ErrorKind::Permanent, 401, QStringLiteral("quota_exceeded"), kOther));
    // Time alone resolves nothing.
    QVERIFY(rules.evaluate(wallAt(1h)).empty());
    // A good call elsewhere resolves only that service's alert.
    const std::vector<Alert> elsewhere = rules.onEvent(callSucceeded(1h, kOther));
    QCOMPARE(elsewhere.size(), std::size_t(1));
    QCOMPARE(elsewhere.front().service, kOther);
    QCOMPARE(rules.active().size(), std::size_t(2));

    const std::vector<Alert> changes = rules.onEvent(callSucceeded(2h));
    QCOMPARE(changes.size(), std::size_t(2));
    for (const Alert& alert : changes) {
        QCOMPARE(alert.rule, alertrule::kPermanentError);
        QCOMPARE(alert.service, kElevenLabs);
        QVERIFY(alert.endsAt.has_value());
        QCOMPARE(*alert.endsAt, wallAt(2h));
    }
    QVERIFY(rules.active().empty());
    QVERIFY(rules.onEvent(callSucceeded(3h)).empty());
}

void TestAlertRules::otherEventsRaiseNothing()
{
    AlertRules rules(defaultRules());
    for (int type = 0; type < kEventTypeCount; ++type) {
        const auto eventType = EventType(type);
        if (eventType == EventType::BreakerTransition || eventType == EventType::CallFailed ||
            eventType == EventType::CallSucceeded) {
            continue;
        }
        // Even with every field that would matter on another event.
        Event event = refused(1s, ErrorKind::Permanent, 401, QStringLiteral("invalid_api_key"));
        event.type = eventType;
        event.reason = QStringLiteral("retries_exhausted");
        event.toState = BreakerState::Open;
        for (int i = 0; i < 10; ++i)
            QVERIFY2(rules.onEvent(event).empty(), qPrintable(eventTypeName(eventType)));
    }
    // A transition without a target state is ignored.
    Event bare = transition(2s, BreakerState::Closed, BreakerState::Open);
    bare.toState.reset();
    QVERIFY(rules.onEvent(bare).empty());
    QVERIFY(rules.active().empty());
    QVERIFY(rules.evaluate(wallAt(1h)).empty());
}

QTEST_APPLESS_MAIN(TestAlertRules)
#include "tst_alertrules.moc"
