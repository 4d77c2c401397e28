#include "alerts/alertfeedmodel.h"
#include "retryalertevents.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QSignalSpy>
#include <QTest>

#include <vector>

using namespace breakwater;
using namespace breakwater::retryalerttest;
using namespace std::chrono_literals;
using Column = AlertFeedModel::Column;

namespace {

const QString kEleven = QStringLiteral("elevenlabs");
const QString kBackup = QStringLiteral("backup");

QString text(const AlertFeedModel& model, int row, Column column)
{
    return model.data(model.index(row, column)).toString();
}

bool isResolved(const AlertFeedModel& model, int row)
{
    return model.data(model.index(row, 0), AlertFeedModel::IsResolvedRole).toBool();
}

void append(AlertFeedModel& model, const std::vector<Event>& events)
{
    model.appendEvents(std::span<const Event>(events));
}

// An alert whose message names it, so rows can be told apart after eviction.
Event numberedAlert(int n, const QString& service = QStringLiteral("elevenlabs"))
{
    Event e = alertRaised(service, std::chrono::seconds(n), EventLevel::Critical,
                          QStringLiteral("rule-%1").arg(n));
    e.message = QStringLiteral("alert %1").arg(n);
    return e;
}

QStringList summaries(const AlertFeedModel& model)
{
    QStringList shown;
    for (int row = 0; row < model.rowCount(); ++row)
        shown.append(text(model, row, Column::SummaryColumn));
    return shown;
}

} // namespace

// The alert feed: newest first, one row per alert raised, resolved in place, delivery per channel.
class TestAlertFeedModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headers()
    {
        AlertFeedModel model;
        QCOMPARE(model.columnCount(), int(AlertFeedModel::ColumnCount));
        const QStringList expected = {QStringLiteral("Time"),    QStringLiteral("Severity"),
                                      QStringLiteral("Service"), QStringLiteral("Rule"),
                                      QStringLiteral("Summary"), QStringLiteral("Status"),
                                      QStringLiteral("Delivery")};
        for (int column = 0; column < model.columnCount(); ++column)
            QCOMPARE(model.headerData(column, Qt::Horizontal).toString(), expected.at(column));
    }

    void newestFirstOneInsertionPerBatch()
    {
        AlertFeedModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

        append(model, {numberedAlert(1)});
        append(model, {numberedAlert(2), numberedAlert(3), numberedAlert(4)});
        QCOMPARE(inserted.count(), 2);
        // New rows go on top, all of a batch at once.
        QCOMPARE(inserted.at(1).at(1).toInt(), 0);
        QCOMPARE(inserted.at(1).at(2).toInt(), 2);
        QCOMPARE(summaries(model),
                 QStringList({QStringLiteral("alert 4"), QStringLiteral("alert 3"),
                              QStringLiteral("alert 2"), QStringLiteral("alert 1")}));
        QCOMPARE(model.entryAt(0).rule, QStringLiteral("rule-4"));
        QCOMPARE(text(model, 0, Column::TimeColumn), QStringLiteral("10:00:04"));
        QCOMPARE(text(model, 0, Column::ServiceColumn), kEleven);
        QCOMPARE(text(model, 0, Column::RuleColumn), QStringLiteral("rule-4"));
        QCOMPARE(text(model, 0, Column::StatusColumn), QStringLiteral("firing"));
        QCOMPARE(text(model, 0, Column::DeliveryColumn), QString());
        QCOMPARE(model.firingCount(), 4);
        QCOMPARE(model.resolvedCount(), 0);
    }

    void eventsOtherThanAlertsAreIgnored()
    {
        AlertFeedModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy counts(&model, &AlertFeedModel::countsChanged);
        append(model, firstTrySuccess(1, 0ms));
        // A delivery report with no alert of its service to attach to.
        append(model, {delivery(kEleven, QStringLiteral("email"), true, 0ms)});
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(counts.count(), 0);
    }

    void severity_data()
    {
        QTest::addColumn<int>("level");
        QTest::addColumn<QString>("severity");
        QTest::addColumn<int>("severityRole");
        QTest::addRow("critical") << int(EventLevel::Critical) << QStringLiteral("critical")
                                  << int(AlertSeverity::Critical);
        QTest::addRow("error") << int(EventLevel::Error) << QStringLiteral("critical")
                               << int(AlertSeverity::Critical);
        QTest::addRow("warning") << int(EventLevel::Warning) << QStringLiteral("warning")
                                 << int(AlertSeverity::Warning);
        QTest::addRow("info") << int(EventLevel::Info) << QStringLiteral("info")
                              << int(AlertSeverity::Info);
        QTest::addRow("debug") << int(EventLevel::Debug) << QStringLiteral("info")
                               << int(AlertSeverity::Info);
    }

    void severity()
    {
        QFETCH(int, level);
        QFETCH(QString, severity);
        QFETCH(int, severityRole);
        AlertFeedModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        append(model, {alertRaised(kEleven, 0ms, EventLevel(level))});
        QCOMPARE(text(model, 0, Column::SeverityColumn), severity);
        QCOMPARE(model.data(model.index(0, 0), AlertFeedModel::SeverityRole).toInt(), severityRole);
        // The colour goes with the word, never instead of it.
        QCOMPARE(
            model.data(model.index(0, Column::SeverityColumn), Qt::DecorationRole).value<QColor>(),
            alertSeverityColour(AlertSeverity(severityRole)));
    }

    void resolvedInPlace_data()
    {
        QTest::addColumn<bool>("sameBatch");
        QTest::addRow("later batch") << false;
        QTest::addRow("same batch") << true;
    }

    void resolvedInPlace()
    {
        QFETCH(bool, sameBatch);
        AlertFeedModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy counts(&model, &AlertFeedModel::countsChanged);

        // Another service's alert below, which must stay firing.
        append(model, {alertRaised(kBackup, 0ms)});
        const Event raised = alertRaised(kEleven, 1s);
        const Event resolved = alertResolved(kEleven, 134s);
        if (sameBatch) {
            append(model, {raised, resolved});
        } else {
            append(model, {raised});
            QCOMPARE(text(model, 0, Column::StatusColumn), QStringLiteral("firing"));
            QVERIFY(!isResolved(model, 0));
            append(model, {resolved});
            // One cell range changed, no row added.
            QCOMPARE(changed.count(), 1);
            QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0);
            QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 0);
        }
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(inserted.count(), 2);
        QVERIFY(isResolved(model, 0));
        QVERIFY(!isResolved(model, 1));
        QCOMPARE(text(model, 0, Column::StatusColumn),
                 QStringLiteral("\u2713 resolved at 10:02:14 (2 min 13 s)"));
        QCOMPARE(text(model, 1, Column::StatusColumn), QStringLiteral("firing"));
        // The row keeps what the raise said; the resolution is in the tooltip.
        QCOMPARE(text(model, 0, Column::SummaryColumn), raised.message);
        const QString tip = model.data(model.index(0, 0), Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(resolved.message), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("critical breaker_open on elevenlabs")),
                 qPrintable(tip));
        // Resolved rows step back.
        QCOMPARE(
            model.data(model.index(0, Column::SummaryColumn), Qt::ForegroundRole).value<QColor>(),
            QColor(128, 128, 128));
        QCOMPARE(model.firingCount(), 1);
        QCOMPARE(model.resolvedCount(), 1);
        QCOMPARE(counts.last().at(0).toInt(), 1);
        QCOMPARE(counts.last().at(1).toInt(), 1);
    }

    void resolutionMatchesRuleAndService()
    {
        AlertFeedModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        append(model, {alertRaised(kEleven, 0ms)});
        // Same rule, other service; same service, other rule: neither resolves it.
        append(model, {alertResolved(kBackup, 5s),
                       alertResolved(kEleven, 6s, QStringLiteral("error_rate"))});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.firingCount(), 1);
        QVERIFY(!isResolved(model, 2));
        // A resolution whose raise the feed never saw still gets its line, without a duration.
        QVERIFY(isResolved(model, 0));
        QCOMPARE(text(model, 0, Column::RuleColumn), QStringLiteral("error_rate"));
        QCOMPARE(text(model, 0, Column::StatusColumn),
                 QStringLiteral("\u2713 resolved at 10:00:06"));
        QCOMPARE(text(model, 1, Column::ServiceColumn), kBackup);
        QVERIFY(model.data(model.index(0, 0), Qt::ToolTipRole)
                    .toString()
                    .startsWith(QStringLiteral("Resolved ")));
    }

    void raisedAgainIsANewRow()
    {
        AlertFeedModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        append(model, {alertRaised(kEleven, 0ms), alertResolved(kEleven, 10s)});
        append(model, {alertRaised(kEleven, 20s)});
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(!isResolved(model, 0));
        QVERIFY(isResolved(model, 1));
        // The second resolution is the second outage's, not the first's again.
        append(model, {alertResolved(kEleven, 50s)});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(text(model, 0, Column::StatusColumn),
                 QStringLiteral("\u2713 resolved at 10:00:50 (30 s)"));
        QCOMPARE(text(model, 1, Column::StatusColumn),
                 QStringLiteral("\u2713 resolved at 10:00:10 (10 s)"));
        QCOMPARE(model.firingCount(), 0);
        QCOMPARE(model.resolvedCount(), 2);
    }

    void deliveryPerChannel()
    {
        AlertFeedModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        append(model, {alertRaised(kBackup, 0ms), alertRaised(kEleven, 1s)});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

        append(model, {delivery(kEleven, QStringLiteral("email"), true, 2s),
                       delivery(kEleven, QStringLiteral("telegram"), false, 2s,
                                QStringLiteral("timeout"))});
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(text(model, 0, Column::DeliveryColumn),
                 QStringLiteral("email: delivered, telegram: failed (timeout)"));
        QCOMPARE(text(model, 1, Column::DeliveryColumn), QString());

        // A channel's latest word replaces its earlier one.
        append(model, {delivery(kEleven, QStringLiteral("telegram"), true, 3s)});
        QCOMPARE(text(model, 0, Column::DeliveryColumn),
                 QStringLiteral("email: delivered, telegram: delivered"));
        QCOMPARE(model.entryAt(0).deliveries.size(), std::size_t(2));

        // Raised and reported on in one batch.
        append(model, {alertRaised(kBackup, 4s, EventLevel::Warning, QStringLiteral("error_rate")),
                       delivery(kBackup, QStringLiteral("webhook"), false, 4s)});
        QCOMPARE(text(model, 0, Column::DeliveryColumn), QStringLiteral("webhook: failed"));
        QCOMPARE(text(model, 1, Column::DeliveryColumn),
                 QStringLiteral("email: delivered, telegram: delivered"));
        QCOMPARE(text(model, 2, Column::DeliveryColumn), QString());
    }

    void deliveryFailureDetail_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("errorCode");
        QTest::addColumn<int>("httpStatus");
        QTest::addColumn<QString>("shown");
        QTest::addRow("message") << QStringLiteral("connection refused") << QStringLiteral("x")
                                 << 500 << QStringLiteral("webhook: failed (connection refused)");
        QTest::addRow("error code") << QString() << QStringLiteral("chat_not_found") << 400
                                    << QStringLiteral("webhook: failed (chat_not_found)");
        QTest::addRow("HTTP status")
            << QString() << QString() << 502 << QStringLiteral("webhook: failed (HTTP 502)");
        QTest::addRow("nothing said")
            << QString() << QString() << 0 << QStringLiteral("webhook: failed");
        // A refusal can quote a whole reply: the cell shows its start.
        QTest::addRow("long message") << QString(60, u'x') << QString() << 0
                                      << QStringLiteral("webhook: failed (") + QString(47, u'x') +
                                             QChar(0x2026) + QLatin1Char(')');
    }

    void deliveryFailureDetail()
    {
        QFETCH(QString, message);
        QFETCH(QString, errorCode);
        QFETCH(int, httpStatus);
        QFETCH(QString, shown);
        AlertFeedModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        Event failed = delivery(kEleven, QStringLiteral("webhook"), false, 1s, message);
        failed.errorCode = errorCode;
        failed.httpStatus = httpStatus;
        append(model, {alertRaised(kEleven, 0ms), failed});
        QCOMPARE(text(model, 0, Column::DeliveryColumn), shown);
        // The tooltip has all of it.
        if (!message.isEmpty()) {
            QVERIFY(model.data(model.index(0, 0), Qt::ToolTipRole)
                        .toString()
                        .contains(QStringLiteral("webhook: failed (") + message + u')'));
        }
    }

    void boundedOldestGoFirst()
    {
        AlertFeedModel model(3);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        for (int n = 1; n <= 3; ++n)
            append(model, {numberedAlert(n)});
        append(model, {alertResolved(kEleven, 10s, QStringLiteral("rule-2"))});
        QCOMPARE(model.firingCount(), 2);

        append(model, {numberedAlert(4), numberedAlert(5)});
        // The oldest two leave from the bottom, in one removal.
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 1);
        QCOMPARE(removed.at(0).at(2).toInt(), 2);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(summaries(model),
                 QStringList({QStringLiteral("alert 5"), QStringLiteral("alert 4"),
                              QStringLiteral("alert 3")}));
        QCOMPARE(model.evictedCount(), std::uint64_t(2));
        // Alert 1 went firing, alert 2 resolved: only the shown ones count.
        QCOMPARE(model.firingCount(), 3);
        QCOMPARE(model.resolvedCount(), 0);

        // The resolution of an alert pushed out is a line of its own.
        append(model, {alertResolved(kEleven, 20s, QStringLiteral("rule-1"))});
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(isResolved(model, 0));
        QCOMPARE(text(model, 0, Column::RuleColumn), QStringLiteral("rule-1"));
        QCOMPARE(model.firingCount(), 2);

        // More in one batch than the feed holds: only the newest are ever shown.
        std::vector<Event> flood;
        for (int n = 100; n < 110; ++n)
            flood.push_back(numberedAlert(n));
        append(model, flood);
        QCOMPARE(summaries(model),
                 QStringList({QStringLiteral("alert 109"), QStringLiteral("alert 108"),
                              QStringLiteral("alert 107")}));
        QCOMPARE(model.firingCount(), 3);
        QCOMPARE(model.resolvedCount(), 0);
        QCOMPARE(model.evictedCount(), std::uint64_t(2 + 1 + 10));

        // Deliveries of a service whose alerts are all gone are dropped, not misattached.
        append(model, {numberedAlert(200, kBackup), numberedAlert(201, kBackup),
                       numberedAlert(202, kBackup)});
        append(model, {delivery(kEleven, QStringLiteral("email"), true, 300s)});
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(text(model, row, Column::DeliveryColumn), QString());
        append(model, {delivery(kBackup, QStringLiteral("email"), true, 300s)});
        QCOMPARE(text(model, 0, Column::DeliveryColumn), QStringLiteral("email: delivered"));
    }

    // An alert resolved and pushed out within one batch is neither shown nor counted.
    void resolvedAndEvictedInOneBatch()
    {
        AlertFeedModel model(2);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        append(model, {numberedAlert(1)});
        append(model, {alertResolved(kEleven, 5s, QStringLiteral("rule-1")), numberedAlert(2),
                       numberedAlert(3)});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(summaries(model),
                 QStringList({QStringLiteral("alert 3"), QStringLiteral("alert 2")}));
        QCOMPARE(model.firingCount(), 2);
        QCOMPARE(model.resolvedCount(), 0);
    }
};

QTEST_MAIN(TestAlertFeedModel)
#include "tst_alertfeedmodel.moc"
