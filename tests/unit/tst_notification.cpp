#include "alerts/alertrules.h"
#include "alerts/notification.h"
#include "alerts/notificationtext.h"
#include "alerttesthelpers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace std::chrono_literals;
using namespace breakwater;
using namespace breakwater::alerttest;

namespace {

const QString kZeroTime = QStringLiteral("0001-01-01T00:00:00Z");

// A group of a firing critical breaker_open, a firing warning breaker_stuck and a resolved
// permanent_error with a label of its own.
Notification mixedNotification()
{
    Notification n;
    n.service = kElevenLabs;
    n.createdAt = wallAt(10min);
    n.alerts.push_back(firingAlert(alertrule::kBreakerOpen, kElevenLabs, {}, wallAt(1min)));
    n.alerts.push_back(firingAlert(alertrule::kBreakerStuck, kElevenLabs, {}, wallAt(6min),
                                   AlertSeverity::Warning));
    Alert refused = firingAlert(alertrule::kPermanentError, kElevenLabs,
                                {{QStringLiteral("error_code"), QStringLiteral("quota_exceeded")}},
                                wallAt(30s) + 123ms);
    refused.summary = QStringLiteral("elevenlabs accepts calls again");
    refused.description = QStringLiteral("Quota \u00fcberschritten \u2014 \U0001F4B8");
    n.alerts.push_back(resolvedCopy(refused, wallAt(9min) + 456ms));
    return n;
}

QJsonObject labelsOf(const QJsonObject& alert)
{
    return alert.value(QStringLiteral("labels")).toObject();
}

void compareAlerts(const Alert& actual, const Alert& expected)
{
    QCOMPARE(actual.fingerprint, expected.fingerprint);
    QCOMPARE(actual.rule, expected.rule);
    QCOMPARE(actual.service, expected.service);
    QCOMPARE(actual.labels, expected.labels);
    QCOMPARE(actual.severity, expected.severity);
    QCOMPARE(actual.summary, expected.summary);
    QCOMPARE(actual.description, expected.description);
    QCOMPARE(actual.startsAt, expected.startsAt);
    QCOMPARE(actual.endsAt.has_value(), expected.endsAt.has_value());
    if (expected.endsAt)
        QCOMPARE(*actual.endsAt, *expected.endsAt);
}

// Every '&' starts one of the four entities, and the only markup is Telegram's b, i and code.
bool isCleanTelegramHtml(const QString& html, QString* why)
{
    static const QRegularExpression entity(QStringLiteral("&(?!(amp|lt|gt|quot);)"));
    static const QRegularExpression tag(QStringLiteral("</?(b|i|code)>"));
    if (const auto match = entity.match(html); match.hasMatch()) {
        *why = QStringLiteral("stray & at %1").arg(match.capturedStart());
        return false;
    }
    QString stripped = html;
    stripped.remove(tag);
    if (stripped.contains(QLatin1Char('<')) || stripped.contains(QLatin1Char('>'))) {
        *why = QStringLiteral("raw < or > outside the b, i and code tags");
        return false;
    }
    if (html.count(QStringLiteral("<b>")) != html.count(QStringLiteral("</b>")) ||
        html.count(QStringLiteral("<i>")) != html.count(QStringLiteral("</i>")) ||
        html.count(QStringLiteral("<code>")) != html.count(QStringLiteral("</code>"))) {
        *why = QStringLiteral("unbalanced tags");
        return false;
    }
    if (!QStringView(html).isValidUtf16()) {
        *why = QStringLiteral("a lone surrogate");
        return false;
    }
    return true;
}

QString unescapeHtml(QString text)
{
    text.replace(QStringLiteral("&lt;"), QStringLiteral("<"));
    text.replace(QStringLiteral("&gt;"), QStringLiteral(">"));
    text.replace(QStringLiteral("&quot;"), QStringLiteral("\""));
    text.replace(QStringLiteral("&amp;"), QStringLiteral("&"));
    return text;
}

Notification manyAlerts(int count, qsizetype summaryLength)
{
    Notification n;
    n.service = kElevenLabs;
    n.createdAt = wallAt(1h);
    for (int i = 0; i < count; ++i) {
        Alert alert = firingAlert(alertrule::kPermanentError, kElevenLabs,
                                  {{QStringLiteral("error_code"), QString::number(i)}});
        // Escaping makes each of these five characters five or six.
        alert.summary = QString(summaryLength, QLatin1Char('&'));
        alert.description = QStringLiteral("<\"%1\">").arg(i);
        n.alerts.push_back(alert);
    }
    return n;
}

} // namespace

class TestNotification : public QObject
{
    Q_OBJECT

private slots:
    void countsAndStatus();
    void titleNamesStatusServiceAndRules_data();
    void titleNamesStatusServiceAndRules();
    void rfc3339IsUtcWithMilliseconds();

    void payloadHasTheAlertmanagerV4Shape();
    void payloadAlertsCarryLabelsAnnotationsAndTimes();
    void payloadCommonLabelsAreThoseAllShare();
    void payloadStatusIsResolvedOnceAllAre();
    void payloadRoundTripsThroughJsonBytes();
    void payloadFromElsewhereIsRead();
    void payloadRejectsWhatIsNotOne_data();
    void payloadRejectsWhatIsNotOne();

    void escapeHtmlEscapesTheFour_data();
    void escapeHtmlEscapesTheFour();
    void plainTextTellsEverything();
    void telegramHtmlEscapesAlertText();
    void telegramHtmlFitsMaxLength_data();
    void telegramHtmlFitsMaxLength();
    void telegramHtmlCountsWhatDoesNotFitAtEveryLength();
    void longTextIsClippedWithoutSplittingACharacter();
};

void TestNotification::countsAndStatus()
{
    const Notification n = mixedNotification();
    QCOMPARE(n.firingCount(), 2);
    QCOMPARE(n.resolvedCount(), 1);
    QVERIFY(n.isFiring());
    QCOMPARE(n.groupKey(), QStringLiteral("{}:{service=\"elevenlabs\"}"));

    Notification empty;
    QCOMPARE(empty.firingCount(), 0);
    QVERIFY(!empty.isFiring());
}

void TestNotification::titleNamesStatusServiceAndRules_data()
{
    QTest::addColumn<QStringList>("firing");
    QTest::addColumn<QStringList>("resolved");
    QTest::addColumn<QString>("title");
    const QString open = alertrule::kBreakerOpen;
    const QString stuck = alertrule::kBreakerStuck;
    QTest::addRow("one firing") << QStringList{open} << QStringList{}
                                << QStringLiteral("[FIRING:1] elevenlabs: breaker_open");
    QTest::addRow("two firing") << QStringList{open, stuck} << QStringList{}
                                << QStringLiteral("[FIRING:2] elevenlabs: breaker_open, "
                                                  "breaker_stuck");
    QTest::addRow("resolved") << QStringList{} << QStringList{open}
                              << QStringLiteral("[RESOLVED] elevenlabs: breaker_open");
    QTest::addRow("firing and resolved")
        << QStringList{stuck} << QStringList{open}
        << QStringLiteral("[FIRING:1] elevenlabs: breaker_stuck, breaker_open");
}

void TestNotification::titleNamesStatusServiceAndRules()
{
    QFETCH(QStringList, firing);
    QFETCH(QStringList, resolved);
    QFETCH(QString, title);
    Notification n;
    n.service = kElevenLabs;
    for (const QString& rule : firing)
        n.alerts.push_back(firingAlert(rule));
    for (const QString& rule : resolved)
        n.alerts.push_back(resolvedCopy(firingAlert(rule), wallAt(1min)));
    QCOMPARE(n.title(), title);
}

void TestNotification::rfc3339IsUtcWithMilliseconds()
{
    QCOMPARE(rfc3339(kWallStart), QStringLiteral("2026-01-01T00:00:00.000Z"));
    QCOMPARE(rfc3339(wallAt(1h + 2min + 3s + 45ms)), QStringLiteral("2026-01-01T01:02:03.045Z"));
}

void TestNotification::payloadHasTheAlertmanagerV4Shape()
{
    const QJsonObject payload = alertmanagerPayload(mixedNotification());
    QCOMPARE(payload.value(QStringLiteral("version")), QJsonValue(QStringLiteral("4")));
    QCOMPARE(payload.value(QStringLiteral("groupKey")),
             QJsonValue(QStringLiteral("{}:{service=\"elevenlabs\"}")));
    QCOMPARE(payload.value(QStringLiteral("status")), QJsonValue(QStringLiteral("firing")));
    QVERIFY(payload.value(QStringLiteral("receiver")).isString());
    QVERIFY(!payload.value(QStringLiteral("receiver")).toString().isEmpty());
    QCOMPARE(payload.value(QStringLiteral("truncatedAlerts")), QJsonValue(0));
    QVERIFY(payload.value(QStringLiteral("externalURL")).isString());
    QCOMPARE(payload.value(QStringLiteral("groupLabels")).toObject(),
             (QJsonObject{{QStringLiteral("service"), kElevenLabs}}));
    for (const char* key : {"commonLabels", "commonAnnotations"})
        QVERIFY2(payload.value(QLatin1StringView(key)).isObject(), key);
    QCOMPARE(payload.value(QStringLiteral("alerts")).toArray().size(), 3);
}

void TestNotification::payloadAlertsCarryLabelsAnnotationsAndTimes()
{
    const Notification n = mixedNotification();
    const QJsonArray alerts = alertmanagerPayload(n).value(QStringLiteral("alerts")).toArray();
    QCOMPARE(alerts.size(), qsizetype(n.alerts.size()));
    for (qsizetype i = 0; i < alerts.size(); ++i) {
        const Alert& expected = n.alerts[std::size_t(i)];
        const QJsonObject alert = alerts[i].toObject();
        QCOMPARE(alert.value(QStringLiteral("status")).toString(),
                 expected.isResolved() ? QStringLiteral("resolved") : QStringLiteral("firing"));
        QJsonObject labels{
            {QStringLiteral("alertname"), expected.rule},
            {QStringLiteral("service"), expected.service},
            {QStringLiteral("severity"), alertSeverityName(expected.severity)},
        };
        for (const auto& [name, value] : expected.labels)
            labels.insert(name, value);
        QCOMPARE(labelsOf(alert), labels);
        QCOMPARE(alert.value(QStringLiteral("annotations")).toObject(),
                 (QJsonObject{{QStringLiteral("summary"), expected.summary},
                              {QStringLiteral("description"), expected.description}}));
        QCOMPARE(alert.value(QStringLiteral("startsAt")).toString(), rfc3339(expected.startsAt));
        QCOMPARE(alert.value(QStringLiteral("endsAt")).toString(),
                 expected.endsAt ? rfc3339(*expected.endsAt) : kZeroTime);
        QCOMPARE(alert.value(QStringLiteral("fingerprint")).toString(), expected.fingerprint);
        QVERIFY(alert.value(QStringLiteral("generatorURL")).isString());
    }
    // The times exactly: RFC 3339 in UTC, to the millisecond.
    QCOMPARE(alerts[2].toObject().value(QStringLiteral("startsAt")).toString(),
             QStringLiteral("2026-01-01T00:00:30.123Z"));
    QCOMPARE(alerts[2].toObject().value(QStringLiteral("endsAt")).toString(),
             QStringLiteral("2026-01-01T00:09:00.456Z"));
    QCOMPARE(alerts[0].toObject().value(QStringLiteral("endsAt")).toString(), kZeroTime);
}

void TestNotification::payloadCommonLabelsAreThoseAllShare()
{
    const QJsonObject mixed = alertmanagerPayload(mixedNotification());
    QCOMPARE(mixed.value(QStringLiteral("commonLabels")).toObject(),
             (QJsonObject{{QStringLiteral("service"), kElevenLabs}}));
    QCOMPARE(mixed.value(QStringLiteral("commonAnnotations")).toObject(), QJsonObject());

    Notification single;
    single.service = kElevenLabs;
    single.alerts.push_back(
        firingAlert(alertrule::kPermanentError, kElevenLabs,
                    {{QStringLiteral("error_code"), QStringLiteral("invalid_api_key")}}));
    const QJsonObject one = alertmanagerPayload(single);
    QCOMPARE(one.value(QStringLiteral("commonLabels")).toObject(),
             labelsOf(one.value(QStringLiteral("alerts")).toArray().first().toObject()));
    QCOMPARE(one.value(QStringLiteral("commonAnnotations"))
                 .toObject()
                 .value(QStringLiteral("summary"))
                 .toString(),
             single.alerts.front().summary);

    // Two alerts of one rule and severity, told apart by a label.
    single.alerts.push_back(
        firingAlert(alertrule::kPermanentError, kElevenLabs,
                    {{QStringLiteral("error_code"), QStringLiteral("quota_exceeded")}}));
    QCOMPARE(alertmanagerPayload(single).value(QStringLiteral("commonLabels")).toObject(),
             (QJsonObject{{QStringLiteral("alertname"), alertrule::kPermanentError},
                          {QStringLiteral("service"), kElevenLabs},
                          {QStringLiteral("severity"), QStringLiteral("critical")}}));
}

void TestNotification::payloadStatusIsResolvedOnceAllAre()
{
    Notification n = mixedNotification();
    for (Alert& alert : n.alerts) {
        if (!alert.endsAt)
            alert.endsAt = wallAt(20min);
    }
    const QJsonObject payload = alertmanagerPayload(n);
    QCOMPARE(payload.value(QStringLiteral("status")).toString(), QStringLiteral("resolved"));
    for (const QJsonValue& alert : payload.value(QStringLiteral("alerts")).toArray()) {
        QCOMPARE(alert.toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("resolved"));
        QCOMPARE_NE(alert.toObject().value(QStringLiteral("endsAt")).toString(), kZeroTime);
    }
    QVERIFY(n.title().startsWith(QStringLiteral("[RESOLVED] ")));
}

void TestNotification::payloadRoundTripsThroughJsonBytes()
{
    const Notification n = mixedNotification();
    const QByteArray bytes = QJsonDocument(alertmanagerPayload(n)).toJson(QJsonDocument::Compact);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    QString error;
    const std::optional<Notification> back = notificationFromPayload(document.object(), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->service, n.service);
    QCOMPARE(back->alerts.size(), n.alerts.size());
    for (std::size_t i = 0; i < n.alerts.size() && !QTest::currentTestFailed(); ++i)
        compareAlerts(back->alerts[i], n.alerts[i]);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(back->title(), n.title());
    // And once more: what was read writes the same payload.
    QCOMPARE(alertmanagerPayload(*back), alertmanagerPayload(n));
}

void TestNotification::payloadFromElsewhereIsRead()
{
    // As another Alertmanager-compatible sender might write it: no fingerprint, an unknown
    // severity, extra fields.
    const QByteArray json = R"({
        "version": "4", "status": "firing", "receiver": "x", "extra": true,
        "groupLabels": {},
        "alerts": [{
            "status": "firing",
            "labels": {"alertname": "breaker_open", "service": "elevenlabs", "severity": "page",
                       "region": "eu"},
            "annotations": {"summary": "down"},
            "startsAt": "2026-01-01T00:00:00Z",
            "endsAt": "0001-01-01T00:00:00Z"
        }]
    })";
    QString error;
    const std::optional<Notification> n =
        notificationFromPayload(QJsonDocument::fromJson(json).object(), &error);
    QVERIFY2(n, qPrintable(error));
    QCOMPARE(n->service, kElevenLabs); // from the alerts when the group does not say
    QCOMPARE(n->alerts.size(), std::size_t(1));
    const Alert& alert = n->alerts.front();
    QCOMPARE(alert.rule, alertrule::kBreakerOpen);
    QCOMPARE(alert.labels, (AlertLabels{{QStringLiteral("region"), QStringLiteral("eu")}}));
    QCOMPARE(alert.fingerprint, alertFingerprint(alert.rule, alert.service, alert.labels));
    QCOMPARE(alert.startsAt, kWallStart);
    QVERIFY(!alert.isResolved());
    QCOMPARE(alert.summary, QStringLiteral("down"));
    QVERIFY(alert.description.isEmpty());
}

void TestNotification::payloadRejectsWhatIsNotOne_data()
{
    QTest::addColumn<QByteArray>("json");
    const QByteArray alert =
        R"({"status":"firing","labels":{"alertname":"breaker_open","service":"elevenlabs"},)"
        R"("startsAt":"2026-01-01T00:00:00Z"})";
    QTest::addRow("empty object") << QByteArray("{}");
    QTest::addRow("version 3") << QByteArray(R"({"version":"3","alerts":[)" + alert + "]}");
    QTest::addRow("version as a number") << QByteArray(R"({"version":4,"alerts":[)" + alert + "]}");
    QTest::addRow("no alerts") << QByteArray(R"({"version":"4","alerts":[]})");
    QTest::addRow("alerts not an array") << QByteArray(R"({"version":"4","alerts":{}})");
    QTest::addRow("alert without alertname")
        << QByteArray(R"({"version":"4","alerts":[{"labels":{"service":"x"},)"
                      R"("startsAt":"2026-01-01T00:00:00Z"}]})");
    QTest::addRow("alert without startsAt")
        << QByteArray(R"({"version":"4","alerts":[{"labels":{"alertname":"breaker_open"}}]})");
    QTest::addRow("alert with a garbage startsAt")
        << QByteArray(R"({"version":"4","alerts":[{"labels":{"alertname":"breaker_open"},)"
                      R"("startsAt":"yesterday"}]})");
    QTest::addRow("alert not an object") << QByteArray(R"({"version":"4","alerts":[42]})");
}

void TestNotification::payloadRejectsWhatIsNotOne()
{
    QFETCH(QByteArray, json);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    QString error;
    QVERIFY(!notificationFromPayload(document.object(), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!notificationFromPayload(document.object(), nullptr));
}

void TestNotification::escapeHtmlEscapesTheFour_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("escaped");
    QTest::addRow("plain") << QStringLiteral("calls flow again")
                           << QStringLiteral("calls flow again");
    QTest::addRow("the four") << QStringLiteral("a & b < c > d \"e\"")
                              << QStringLiteral("a &amp; b &lt; c &gt; d &quot;e&quot;");
    QTest::addRow("an entity already") << QStringLiteral("&amp;") << QStringLiteral("&amp;amp;");
    QTest::addRow("markup") << QStringLiteral("<b>bold</b>")
                            << QStringLiteral("&lt;b&gt;bold&lt;/b&gt;");
    QTest::addRow("apostrophe and non-ASCII stay")
        << QStringLiteral("it's \u00fc \U0001F534") << QStringLiteral("it's \u00fc \U0001F534");
    QTest::addRow("empty") << QString() << QString();
}

void TestNotification::escapeHtmlEscapesTheFour()
{
    QFETCH(QString, text);
    QFETCH(QString, escaped);
    QCOMPARE(escapeHtml(text), escaped);
    QCOMPARE(unescapeHtml(escapeHtml(text)), text);
}

void TestNotification::plainTextTellsEverything()
{
    const Notification n = mixedNotification();
    const QString text = notificationPlainText(n);
    QVERIFY(text.startsWith(n.title() + QLatin1Char('\n')));
    for (const Alert& alert : n.alerts) {
        QVERIFY2(text.contains(alert.summary), qPrintable(alert.summary));
        QVERIFY2(text.contains(alert.description), qPrintable(alert.description));
        QVERIFY(text.contains(alert.fingerprint));
        QVERIFY(text.contains(rfc3339(alert.startsAt)));
        if (alert.endsAt)
            QVERIFY(text.contains(rfc3339(*alert.endsAt)));
    }
    QVERIFY(text.contains(QStringLiteral("error_code: quota_exceeded")));
    QVERIFY(text.contains(QStringLiteral("critical")));
    QVERIFY(text.contains(QStringLiteral("warning")));
    QVERIFY(text.contains(QStringLiteral("RESOLVED")));
    QVERIFY(text.contains(rfc3339(n.createdAt)));
    // Plain text: nothing escaped, no markup.
    Notification raw;
    raw.service = kElevenLabs;
    raw.alerts.push_back(firingAlert(alertrule::kBreakerOpen));
    raw.alerts.front().summary = QStringLiteral("a <b> & \"c\"");
    QVERIFY(notificationPlainText(raw).contains(QStringLiteral("a <b> & \"c\"")));
}

void TestNotification::telegramHtmlEscapesAlertText()
{
    Notification n = mixedNotification();
    n.alerts[0].summary = QStringLiteral("<script>alert(\"x\")</script> & co");
    n.alerts[1].description = QStringLiteral("</i><b>not bold</b>");
    const QString html = notificationTelegramHtml(n);
    QString why;
    QVERIFY2(isCleanTelegramHtml(html, &why), qPrintable(why + QLatin1Char('\n') + html));
    QVERIFY(html.contains(escapeHtml(n.alerts[0].summary)));
    QVERIFY(html.contains(escapeHtml(n.alerts[1].description)));
    QVERIFY(!html.contains(QStringLiteral("<script>")));
    QVERIFY(html.contains(QStringLiteral("<b>") + escapeHtml(n.title()) + QStringLiteral("</b>")));
    QVERIFY(!html.contains(QStringLiteral("more")));
    for (const Alert& alert : n.alerts)
        QVERIFY(html.contains(QStringLiteral("<code>") + alert.rule + QStringLiteral("</code>")));
}

void TestNotification::telegramHtmlFitsMaxLength_data()
{
    QTest::addColumn<int>("alerts");
    QTest::addColumn<qsizetype>("summaryLength");
    QTest::addColumn<qsizetype>("maxLength");
    QTest::addRow("one short, default") << 1 << qsizetype(10) << qsizetype(4096);
    QTest::addRow("50 long, default") << 50 << qsizetype(400) << qsizetype(4096);
    QTest::addRow("3000 short, default") << 3000 << qsizetype(5) << qsizetype(4096);
    QTest::addRow("clipped pieces, default") << 10 << qsizetype(5000) << qsizetype(4096);
    QTest::addRow("50 long, 1000") << 50 << qsizetype(100) << qsizetype(1000);
    QTest::addRow("50, 300") << 50 << qsizetype(10) << qsizetype(300);
    QTest::addRow("one too long for 200") << 1 << qsizetype(300) << qsizetype(200);
}

void TestNotification::telegramHtmlFitsMaxLength()
{
    QFETCH(int, alerts);
    QFETCH(qsizetype, summaryLength);
    QFETCH(qsizetype, maxLength);
    const Notification n = manyAlerts(alerts, summaryLength);
    const QString html = notificationTelegramHtml(n, maxLength);
    QVERIFY2(html.size() <= maxLength,
             qPrintable(QStringLiteral("%1 > %2").arg(html.size()).arg(maxLength)));
    QString why;
    QVERIFY2(isCleanTelegramHtml(html, &why), qPrintable(why));
    QVERIFY(
        html.startsWith(QStringLiteral("<b>") + escapeHtml(n.title()) + QStringLiteral("</b>")));

    // Each alert shown has its rule in <code>; those left out are counted, exactly.
    const int shown = int(html.count(QStringLiteral("<code>")));
    const int left = alerts - shown;
    static const QRegularExpression more(QStringLiteral("\u2026 and (\\d+) more$"));
    const QRegularExpressionMatch match = more.match(html);
    if (left == 0) {
        QVERIFY2(!match.hasMatch(), qPrintable(html.right(80)));
    } else {
        QVERIFY2(match.hasMatch(), qPrintable(html.right(80)));
        QCOMPARE(match.captured(1).toInt(), left);
    }
    // Only what does not fit is left out: one more would not have fitted (with its line).
    if (left > 0 && shown > 0)
        QVERIFY(html.size() > maxLength / 2);
}

// Wherever the limit falls against the blocks, the "… and N more" line survives whole.
void TestNotification::telegramHtmlCountsWhatDoesNotFitAtEveryLength()
{
    const Notification n = manyAlerts(40, 7);
    static const QRegularExpression more(QStringLiteral("\n\u2026 and (\\d+) more$"));
    for (qsizetype maxLength = 100; maxLength <= 1200; ++maxLength) {
        const QString html = notificationTelegramHtml(n, maxLength);
        QVERIFY2(html.size() <= maxLength, qPrintable(QString::number(maxLength)));
        const int shown = int(html.count(QStringLiteral("<code>")));
        const QRegularExpressionMatch match = more.match(html);
        QVERIFY2(match.hasMatch(),
                 qPrintable(QStringLiteral("%1: %2").arg(maxLength).arg(html.right(40))));
        QCOMPARE(match.captured(1).toInt(), 40 - shown);
        QString why;
        QVERIFY2(isCleanTelegramHtml(html, &why), qPrintable(why));
    }
}

void TestNotification::longTextIsClippedWithoutSplittingACharacter()
{
    Notification n;
    n.service = kElevenLabs;
    Alert alert = firingAlert(alertrule::kBreakerOpen);
    // Every alignment of a surrogate pair against the clip point.
    for (int shift = 0; shift < 2; ++shift) {
        alert.summary = QString(shift, QLatin1Char('x'));
        while (alert.summary.size() < 3000)
            alert.summary += QStringLiteral("\U0001F534");
        alert.description = alert.summary;
        n.alerts = {alert};
        const QString html = notificationTelegramHtml(n);
        QVERIFY2(QStringView(html).isValidUtf16(), "Telegram HTML splits a surrogate pair");
        QVERIFY(html.size() <= 4096);
        QVERIFY(html.contains(QChar(0x2026))); // clipped, and says so
        const QString text = notificationPlainText(n);
        QVERIFY2(QStringView(text).isValidUtf16(), "plain text splits a surrogate pair");
        QVERIFY(text.size() < 2 * 3000);
    }
}

QTEST_APPLESS_MAIN(TestNotification)
#include "tst_notification.moc"
