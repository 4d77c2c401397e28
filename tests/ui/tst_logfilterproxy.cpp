#include "log/logfilterproxy.h"
#include "log/logtablemodel.h"
#include "logtestevents.h"

#include <QAbstractItemModelTester>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTest>

#include <functional>
#include <iterator>
#include <vector>

using namespace breakwater;
using namespace breakwater::logtest;
using namespace std::chrono_literals;

namespace {

// Longer than a string-table entry may be: these texts live in the rows' chunks, which the
// matcher reads another way than table entries.
QString arenaText(const QString& start)
{
    QString text = start;
    while (text.size() <= LogStringTable::kMaxEntryLength)
        text += QStringLiteral(" and then some more words");
    return text;
}

const QString kLongService = arenaText(QStringLiteral("a-service-with-a-very-long-name"));

Event mixed(EventType type, EventLevel level, const QString& service, std::uint64_t callId,
            const QString& message = {}, const QString& reason = {}, const QString& errorCode = {})
{
    Event e = numbered(0, type, level, service);
    e.callId = callId;
    e.message = message;
    e.reason = reason;
    e.errorCode = errorCode;
    return e;
}

// One of each thing a filter tells apart; the index in this list is the event's sequence.
std::vector<Event> mixedEvents()
{
    const QString eleven = QStringLiteral("elevenlabs");
    const QString backup = QStringLiteral("backup");
    std::vector<Event> events = {
        /* 0 */ mixed(EventType::CallStarted, EventLevel::Info, eleven, 42),
        /* 1 */
        mixed(EventType::AttemptFailed, EventLevel::Warning, eleven, 42,
              QStringLiteral("HTTP 503 Service Unavailable"), {},
              QStringLiteral("service_unavailable")),
        /* 2 */
        mixed(EventType::RetryScheduled, EventLevel::Info, eleven, 42, {},
              QStringLiteral("backoff")),
        /* 3 */ mixed(EventType::CallStarted, EventLevel::Info, backup, 420),
        /* 4 */
        mixed(EventType::AttemptFailed, EventLevel::Error, backup, 420,
              QStringLiteral("Quota Exceeded"), {}, QStringLiteral("quota_exceeded")),
        /* 5 */
        mixed(EventType::BreakerTransition, EventLevel::Error, eleven, 0,
              QStringLiteral("5 consecutive failures"), QStringLiteral("consecutive_failures")),
        /* 6 */
        mixed(EventType::CallSkipped, EventLevel::Warning, eleven, 142, {},
              QStringLiteral("breaker_open")),
        /* 7 */
        mixed(EventType::HealthProbe, EventLevel::Debug, eleven, 0,
              QStringLiteral("probe took 420 ms"), QStringLiteral("unhealthy")),
        /* 8 */ mixed(EventType::CallSucceeded, EventLevel::Info, backup, 420),
        /* 9 */
        mixed(EventType::AlertRaised, EventLevel::Critical, eleven, 0,
              QStringLiteral("elevenlabs: circuit breaker opened"), QStringLiteral("breaker_open")),
        /* 10 */
        mixed(EventType::CallFailed, EventLevel::Error, eleven, 42,
              arenaText(QStringLiteral("Résumé of the failure: needle-in-arena")),
              QStringLiteral("retries_exhausted")),
        /* 11 */
        mixed(EventType::AttemptFailed, EventLevel::Warning, QStringLiteral("synthèse"), 7,
              QStringLiteral("Zeitüberschreitung")),
        /* 12 */ mixed(EventType::CallStarted, EventLevel::Info, kLongService, 9),
    };
    for (std::size_t i = 0; i < events.size(); ++i) {
        events[i].sequence = i;
        events[i].time = retryalerttest::at(std::chrono::milliseconds(std::int64_t(i)));
    }
    return events;
}

// The sequences of the rows the proxy shows, in its order.
QList<int> shownSequences(const LogFilterProxy& proxy)
{
    QList<int> shown;
    for (int row = 0; row < proxy.rowCount(); ++row) {
        const QModelIndex source = proxy.mapToSource(proxy.index(row, 0));
        shown.append(int(proxy.logModel()->event(source.row()).sequence));
    }
    return shown;
}

// What the proxy should show, worked out from whole events rather than compact rows.
QList<int> expectedSequences(const LogTableModel& model,
                             const std::function<bool(const Event&)>& pass)
{
    QList<int> expected;
    for (int row = 0; row < model.rowCount(); ++row) {
        const Event e = model.event(row);
        if (pass(e))
            expected.append(int(e.sequence));
    }
    return expected;
}

// The filter's rules as LogFilterSettings states them, worked out on the whole event.
bool passesByTheRules(const Event& e, const LogFilterSettings& settings)
{
    if (e.level < settings.minimumLevel)
        return false;
    if (settings.eventTypes != 0 && (settings.eventTypes & LogFilterSettings::typeBit(e.type)) == 0)
        return false;
    if (!settings.service.isEmpty() && e.service != settings.service)
        return false;
    const QString text = settings.text.trimmed();
    if (text.isEmpty())
        return true;
    const bool isCall =
        e.callId != 0 && (callIdText(e.callId).compare(text, Qt::CaseInsensitive) == 0 ||
                          QString::number(e.callId) == text);
    return isCall || e.message.contains(text, Qt::CaseInsensitive) ||
           e.reason.contains(text, Qt::CaseInsensitive) ||
           e.errorCode.contains(text, Qt::CaseInsensitive);
}

QList<int> all(int count)
{
    QList<int> rows;
    for (int i = 0; i < count; ++i)
        rows.append(i);
    return rows;
}

} // namespace

// The log's filter: level, type, service and text, over rows that stream in and are evicted.
class TestLogFilterProxy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void filters_data()
    {
        QTest::addColumn<int>("minimumLevel");
        QTest::addColumn<QList<int>>("types");
        QTest::addColumn<QString>("service");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QList<int>>("expected");

        const int debug = int(EventLevel::Debug);
        const int count = int(mixedEvents().size());
        QTest::addRow("no filter") << debug << QList<int>() << QString() << QString() << all(count);

        QTest::addRow("level info")
            << int(EventLevel::Info) << QList<int>() << QString() << QString()
            << QList<int>({0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12});
        QTest::addRow("level warning") << int(EventLevel::Warning) << QList<int>() << QString()
                                       << QString() << QList<int>({1, 4, 5, 6, 9, 10, 11});
        QTest::addRow("level error") << int(EventLevel::Error) << QList<int>() << QString()
                                     << QString() << QList<int>({4, 5, 9, 10});
        QTest::addRow("level critical") << int(EventLevel::Critical) << QList<int>() << QString()
                                        << QString() << QList<int>({9});

        QTest::addRow("one type") << debug << QList<int>({int(EventType::AttemptFailed)})
                                  << QString() << QString() << QList<int>({1, 4, 11});
        QTest::addRow("two types")
            << debug << QList<int>({int(EventType::CallStarted), int(EventType::CallSucceeded)})
            << QString() << QString() << QList<int>({0, 3, 8, 12});
        QTest::addRow("type nobody has") << debug << QList<int>({int(EventType::FaultInjected)})
                                         << QString() << QString() << QList<int>();

        QTest::addRow("service") << debug << QList<int>() << QStringLiteral("backup") << QString()
                                 << QList<int>({3, 4, 8});
        QTest::addRow("service, whole name only")
            << debug << QList<int>() << QStringLiteral("eleven") << QString() << QList<int>();
        QTest::addRow("service, non-ASCII")
            << debug << QList<int>() << QStringLiteral("synthèse") << QString() << QList<int>({11});
        QTest::addRow("service, long name")
            << debug << QList<int>() << kLongService << QString() << QList<int>({12});

        // A call id is matched exactly: call-42, not call-420 or call-142.
        QTest::addRow("text call-42") << debug << QList<int>() << QString()
                                      << QStringLiteral("call-42") << QList<int>({0, 1, 2, 10});
        QTest::addRow("text CALL-42, spaced")
            << debug << QList<int>() << QString() << QStringLiteral("  CALL-42 ")
            << QList<int>({0, 1, 2, 10});
        // A bare number is a call id and a substring of messages alike.
        QTest::addRow("text 42") << debug << QList<int>() << QString() << QStringLiteral("42")
                                 << QList<int>({0, 1, 2, 7, 10});
        QTest::addRow("text 420") << debug << QList<int>() << QString() << QStringLiteral("420")
                                  << QList<int>({3, 4, 7, 8});
        QTest::addRow("text in message, any case")
            << debug << QList<int>() << QString() << QStringLiteral("service UNAVAILABLE")
            << QList<int>({1});
        QTest::addRow("text in error code") << debug << QList<int>() << QString()
                                            << QStringLiteral("QUOTA_exceeded") << QList<int>({4});
        QTest::addRow("text in reason")
            << debug << QList<int>() << QString() << QStringLiteral("backoff") << QList<int>({2});
        QTest::addRow("text in long message")
            << debug << QList<int>() << QString() << QStringLiteral("NEEDLE-in-arena")
            << QList<int>({10});
        QTest::addRow("text, non-ASCII case")
            << debug << QList<int>() << QString() << QStringLiteral("ÜBERSCHREITUNG")
            << QList<int>({11});
        // The service column is the service filter's: the text looks at what the event says.
        QTest::addRow("text is not the service")
            << debug << QList<int>() << QString() << QStringLiteral("backup") << QList<int>();
        QTest::addRow("text nobody has") << debug << QList<int>() << QString()
                                         << QStringLiteral("no such thing") << QList<int>();
        QTest::addRow("blank text")
            << debug << QList<int>() << QString() << QStringLiteral("   ") << all(count);

        QTest::addRow("level, service and call")
            << int(EventLevel::Warning) << QList<int>() << QStringLiteral("elevenlabs")
            << QStringLiteral("call-42") << QList<int>({1, 10});
        QTest::addRow("type and text") << debug << QList<int>({int(EventType::AttemptFailed)})
                                       << QString() << QStringLiteral("quota") << QList<int>({4});
        QTest::addRow("type and service")
            << debug << QList<int>({int(EventType::CallStarted), int(EventType::CallSkipped)})
            << QStringLiteral("elevenlabs") << QString() << QList<int>({0, 6});
        QTest::addRow("everything, nothing left")
            << int(EventLevel::Error) << QList<int>({int(EventType::CallFailed)})
            << QStringLiteral("backup") << QStringLiteral("call-42") << QList<int>();
    }

    void filters()
    {
        QFETCH(int, minimumLevel);
        QFETCH(QList<int>, types);
        QFETCH(QString, service);
        QFETCH(QString, text);
        QFETCH(QList<int>, expected);
        QList<EventType> eventTypes;
        for (const int type : types)
            eventTypes.append(EventType(type));

        // Filter first, then fill: the rows arrive through the proxy's incremental path.
        {
            LogTableModel model;
            LogFilterProxy proxy;
            proxy.setSourceModel(&model);
            QAbstractItemModelTester tester(&proxy,
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
            proxy.setMinimumLevel(EventLevel(minimumLevel));
            proxy.setEventTypes(eventTypes);
            proxy.setService(service);
            proxy.setText(text);
            append(model, mixedEvents());
            QCOMPARE(shownSequences(proxy), expected);
        }
        // Fill first, then filter: the rows are worked out again in one pass.
        {
            LogTableModel model;
            LogFilterProxy proxy;
            proxy.setSourceModel(&model);
            QAbstractItemModelTester tester(&proxy,
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
            append(model, mixedEvents());
            proxy.setMinimumLevel(EventLevel(minimumLevel));
            proxy.setEventTypes(eventTypes);
            proxy.setService(service);
            proxy.setText(text);
            QCOMPARE(shownSequences(proxy), expected);
            QCOMPARE(proxy.minimumLevel(), EventLevel(minimumLevel));
            QCOMPARE(proxy.eventTypes(), eventTypes);
            QCOMPARE(proxy.service(), service);
            QCOMPARE(proxy.text(), text);

            // And back to everything.
            proxy.setSettings({});
            QCOMPARE(proxy.rowCount(), model.rowCount());
        }
    }

    void aFilterChangeIsOneLayoutChange()
    {
        LogTableModel model;
        LogFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        append(model, mixedEvents());
        QSignalSpy layout(&proxy, &QAbstractItemModel::layoutChanged);
        QSignalSpy removed(&proxy, &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&proxy, &QAbstractItemModel::modelReset);

        proxy.setMinimumLevel(EventLevel::Warning);
        QCOMPARE(layout.count(), 1);
        QCOMPARE(removed.count(), 0);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(proxy.rowCount(), 7);

        // The same filter again is no change at all.
        proxy.setMinimumLevel(EventLevel::Warning);
        LogFilterSettings same = proxy.settings();
        proxy.setSettings(same);
        QCOMPARE(layout.count(), 1);

        same.text = QStringLiteral("call-42");
        proxy.setSettings(same);
        QCOMPARE(layout.count(), 2);
        QCOMPARE(shownSequences(proxy), QList<int>({1, 10}));
        QCOMPARE(proxy.settings(), same);
    }

    // While rows stream in and the oldest are pushed out, the proxy shows exactly the source rows
    // that pass, in the source's order, whatever the filter was changed to in between.
    void changingFiltersWhileRowsStreamAndAreEvicted()
    {
        LogTableModel model(25);
        LogFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);

        const std::vector<Event> pattern = mixedEvents();
        std::uint64_t next = 0;
        const auto stream = [&](int batches) {
            for (int b = 0; b < batches; ++b) {
                std::vector<Event> batch;
                for (int i = 0; i < 4; ++i, ++next) {
                    Event e = pattern[next % pattern.size()];
                    e.sequence = next;
                    batch.push_back(e);
                }
                append(model, batch);
            }
        };
        const auto isWarning = [](const Event& e) {
            return e.level >= EventLevel::Warning;
        };
        const auto isCall42 = [](const Event& e) {
            return e.callId == 42;
        };
        const auto isBackupAttempt = [](const Event& e) {
            return e.service == QStringLiteral("backup") && e.type == EventType::AttemptFailed;
        };

        proxy.setMinimumLevel(EventLevel::Warning);
        for (int round = 0; round < 10; ++round) {
            stream(1);
            QCOMPARE(shownSequences(proxy), expectedSequences(model, isWarning));
        }
        QVERIFY(model.rowsEvicted() > 0);

        proxy.setSettings({});
        proxy.setText(QStringLiteral("call-42"));
        QCOMPARE(shownSequences(proxy), expectedSequences(model, isCall42));
        for (int round = 0; round < 10; ++round) {
            stream(1);
            QCOMPARE(shownSequences(proxy), expectedSequences(model, isCall42));
        }

        proxy.setSettings({});
        proxy.setService(QStringLiteral("backup"));
        proxy.setEventTypes({EventType::AttemptFailed});
        for (int round = 0; round < 10; ++round) {
            stream(2);
            QCOMPARE(shownSequences(proxy), expectedSequences(model, isBackupAttempt));
        }
        QVERIFY(!shownSequences(proxy).isEmpty());

        // Every row that passed is pushed out, then new ones come.
        stream(10);
        QCOMPARE(shownSequences(proxy), expectedSequences(model, isBackupAttempt));
        model.setCapacity(3);
        QCOMPARE(shownSequences(proxy), expectedSequences(model, isBackupAttempt));
    }

    // Many small steps in an order no one planned: appends, evictions, filter changes, clears.
    // After each, the proxy must show what an independent reading of the filter's rules says.
    // A fixed seed keeps it deterministic; a failure names the step.
    void randomStepsAgreeWithTheRules()
    {
        QRandomGenerator random(20240514);
        LogTableModel model(30);
        QAbstractItemModelTester sourceTester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        LogFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);

        const std::vector<Event> pattern = mixedEvents();
        const std::uint64_t callIds[] = {0, 7, 42, 142, 420};
        const QString texts[] = {QString(),
                                 QStringLiteral("call-42"),
                                 QStringLiteral("42"),
                                 QStringLiteral("call-7"),
                                 QStringLiteral("quota"),
                                 QStringLiteral("UNAVAILABLE"),
                                 QStringLiteral("backoff"),
                                 QStringLiteral("needle-in-arena"),
                                 QStringLiteral("zzz")};
        const QString services[] = {QString(), QStringLiteral("elevenlabs"),
                                    QStringLiteral("backup"), QStringLiteral("synthèse")};
        const auto pick = [&](const auto& list) {
            return list[random.bounded(int(std::size(list)))];
        };
        std::uint64_t next = 0;
        for (int step = 0; step < 400; ++step) {
            const int op = random.bounded(100);
            if (op < 65) {
                std::vector<Event> batch;
                const int size = 1 + random.bounded(8);
                for (int i = 0; i < size; ++i, ++next) {
                    Event e = pattern[std::size_t(random.bounded(int(pattern.size())))];
                    e.sequence = next;
                    e.callId = pick(callIds);
                    batch.push_back(e);
                }
                append(model, batch);
            } else if (op < 90) {
                LogFilterSettings settings;
                settings.minimumLevel = EventLevel(random.bounded(5));
                if (random.bounded(3) == 0) {
                    settings.eventTypes =
                        LogFilterSettings::typeBit(
                            pattern[std::size_t(random.bounded(int(pattern.size())))].type) |
                        LogFilterSettings::typeBit(EventType::AttemptFailed);
                }
                settings.service = pick(services);
                settings.text = pick(texts);
                proxy.setSettings(settings);
            } else if (op < 96) {
                model.setCapacity(5 + random.bounded(40));
            } else {
                model.clear();
            }
            const LogFilterSettings settings = proxy.settings();
            const auto pass = [&](const Event& e) {
                return passesByTheRules(e, settings);
            };
            QVERIFY2(shownSequences(proxy) == expectedSequences(model, pass),
                     qPrintable(QStringLiteral("step %1").arg(step)));
        }
    }

    // clear() starts a new string table whose entries reuse the old references: what the filter
    // remembered about the old entries must not be applied to the new ones.
    void clearDoesNotConfuseTheFilter()
    {
        LogTableModel model;
        LogFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setService(QStringLiteral("beta"));
        proxy.setText(QStringLiteral("wanted"));

        std::vector<Event> before = numberedRange(0, 3);
        for (Event& e : before) {
            e.service = QStringLiteral("alpha");
            e.message = QStringLiteral("unrelated");
        }
        append(model, before);
        QCOMPARE(proxy.rowCount(), 0);

        model.clear();
        std::vector<Event> after = numberedRange(10, 13);
        for (Event& e : after) {
            e.service = QStringLiteral("beta");   // the first entry of the new table, as alpha was
            e.message = QStringLiteral("wanted"); // the second, as "unrelated" was
        }
        after[1].service = QStringLiteral("alpha");
        append(model, after);
        QCOMPARE(shownSequences(proxy), QList<int>({10, 12}));
    }

    // Any model may be the source; rows of one that is not the log all pass.
    void otherSourceModelsPassThrough()
    {
        QStandardItemModel other(4, 2);
        LogFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&other);
        proxy.setMinimumLevel(EventLevel::Critical);
        QVERIFY(proxy.logModel() == nullptr);
        QCOMPARE(proxy.rowCount(), 4);

        LogTableModel model;
        proxy.setSourceModel(&model);
        QVERIFY(proxy.logModel() == &model);
        append(model, mixedEvents());
        QCOMPARE(shownSequences(proxy), QList<int>({9}));
    }
};

QTEST_MAIN(TestLogFilterProxy)
#include "tst_logfilterproxy.moc"
