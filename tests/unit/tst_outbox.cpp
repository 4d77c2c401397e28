#include "alerts/alertrules.h"
#include "alerts/outbox.h"
#include "alerttesthelpers.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace std::chrono_literals;
using namespace breakwater;
using namespace breakwater::alerttest;

namespace {

Delivery makeDelivery(const QString& id, WallTime queuedAt,
                      const QString& channel = QStringLiteral("webhook"))
{
    Delivery delivery;
    delivery.id = id;
    delivery.channel = channel;
    delivery.queuedAt = queuedAt;
    delivery.attempts = 2;
    Notification& n = delivery.notification;
    n.service = kElevenLabs;
    n.createdAt = queuedAt;
    Alert open = firingAlert(alertrule::kBreakerOpen, kElevenLabs, {}, queuedAt - 5s);
    open.description = QStringLiteral("Ausfall \u2014 \U0001F525 \"503\" <html> & more\nline two");
    n.alerts.push_back(open);
    Alert refused = firingAlert(alertrule::kPermanentError, kElevenLabs,
                                {{QStringLiteral("error_code"), QStringLiteral("quota_exceeded")}},
                                queuedAt - 1min, AlertSeverity::Warning);
    n.alerts.push_back(resolvedCopy(refused, queuedAt - 1s));
    return delivery;
}

void compareDeliveries(const Delivery& actual, const Delivery& expected)
{
    QCOMPARE(actual.id, expected.id);
    QCOMPARE(actual.channel, expected.channel);
    QCOMPARE(actual.queuedAt, expected.queuedAt);
    QCOMPARE(actual.attempts, expected.attempts);
    const Notification& a = actual.notification;
    const Notification& e = expected.notification;
    QCOMPARE(a.service, e.service);
    QCOMPARE(a.createdAt, e.createdAt);
    QCOMPARE(a.alerts.size(), e.alerts.size());
    for (std::size_t i = 0; i < e.alerts.size(); ++i) {
        QCOMPARE(a.alerts[i].fingerprint, e.alerts[i].fingerprint);
        QCOMPARE(a.alerts[i].rule, e.alerts[i].rule);
        QCOMPARE(a.alerts[i].service, e.alerts[i].service);
        QCOMPARE(a.alerts[i].labels, e.alerts[i].labels);
        QCOMPARE(a.alerts[i].severity, e.alerts[i].severity);
        QCOMPARE(a.alerts[i].summary, e.alerts[i].summary);
        QCOMPARE(a.alerts[i].description, e.alerts[i].description);
        QCOMPARE(a.alerts[i].startsAt, e.alerts[i].startsAt);
        QCOMPARE(a.alerts[i].endsAt, e.alerts[i].endsAt);
    }
}

QStringList filesIn(const QString& directory)
{
    return QDir(directory).entryList(QDir::Files | QDir::Hidden, QDir::Name);
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(file.errorString()));
    QCOMPARE(file.write(bytes), bytes.size());
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

const QString kIdA = QStringLiteral("0a1b2c3d-0000-4000-8000-00000000000a");
const QString kIdB = QStringLiteral("0a1b2c3d-0000-4000-8000-00000000000b");
const QString kIdC = QStringLiteral("0a1b2c3d-0000-4000-8000-00000000000c");

} // namespace

class TestOutbox : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void openCreatesTheDirectory();
    void openReportsWhatItCannotCreate();
    void storeThenLoadRoundTrips();
    void storeRewritesInPlace();
    void storeReportsWhatItCannotWrite();
    void removeDeletesOnlyThatDelivery();
    void loadOrdersByQueuedTime();
    void loadOfAnEmptyOrMissingDirectory();
    void unreadableFilesAreMovedAsideAndReported_data();
    void unreadableFilesAreMovedAsideAndReported();
    void otherFilesAreLeftAlone();
    void movedAsideFilesAreNeverOverwritten();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString outboxPath() const { return m_dir->filePath(QStringLiteral("alert-outbox")); }
};

void TestOutbox::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestOutbox::openCreatesTheDirectory()
{
    const QString nested = m_dir->filePath(QStringLiteral("logs/run-1/alert-outbox"));
    const Outbox outbox(nested);
    QCOMPARE(outbox.directory(), nested);
    QCOMPARE(outbox.open(), QString());
    QVERIFY(QFileInfo(nested).isDir());
    QCOMPARE(outbox.open(), QString()); // again: already there is fine
}

void TestOutbox::openReportsWhatItCannotCreate()
{
    const QString file = m_dir->filePath(QStringLiteral("in-the-way"));
    writeFile(file, "not a directory");
    const Outbox outbox(file + QStringLiteral("/alert-outbox"));
    const QString error = outbox.open();
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(QStringLiteral("in-the-way")), qPrintable(error));
}

void TestOutbox::storeThenLoadRoundTrips()
{
    const Outbox outbox(outboxPath());
    QCOMPARE(outbox.open(), QString());
    const Delivery delivery = makeDelivery(kIdA, wallAt(1h) + 250ms);
    QCOMPARE(outbox.store(delivery), QString());
    QCOMPARE(filesIn(outboxPath()), QStringList{kIdA + QStringLiteral(".json")});

    // The file is JSON a person (or jq) can read, with the Alertmanager payload inside.
    const QJsonObject object =
        QJsonDocument::fromJson(
            readFile(QDir(outboxPath()).filePath(kIdA + QStringLiteral(".json"))))
            .object();
    QCOMPARE(object.value(QStringLiteral("id")).toString(), kIdA);
    QCOMPARE(object.value(QStringLiteral("payload"))
                 .toObject()
                 .value(QStringLiteral("version"))
                 .toString(),
             QStringLiteral("4"));

    QStringList problems;
    const std::vector<Delivery> loaded = Outbox(outboxPath()).load(&problems);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    QCOMPARE(loaded.size(), std::size_t(1));
    compareDeliveries(loaded.front(), delivery);
    // Loading leaves the file where it is: it goes only once delivered.
    QCOMPARE(filesIn(outboxPath()), QStringList{kIdA + QStringLiteral(".json")});
}

void TestOutbox::storeRewritesInPlace()
{
    const Outbox outbox(outboxPath());
    QCOMPARE(outbox.open(), QString());
    Delivery delivery = makeDelivery(kIdA, wallAt(1h));
    QCOMPARE(outbox.store(delivery), QString());
    delivery.attempts = 7;
    delivery.notification.alerts.pop_back();
    QCOMPARE(outbox.store(delivery), QString());
    // Atomic: no temporary file left beside it.
    QCOMPARE(filesIn(outboxPath()), QStringList{kIdA + QStringLiteral(".json")});
    const std::vector<Delivery> loaded = outbox.load(nullptr);
    QCOMPARE(loaded.size(), std::size_t(1));
    compareDeliveries(loaded.front(), delivery);
}

void TestOutbox::storeReportsWhatItCannotWrite()
{
    const Outbox outbox(m_dir->filePath(QStringLiteral("never-opened")));
    QVERIFY(!outbox.store(makeDelivery(kIdA, wallAt(0s))).isEmpty());
}

void TestOutbox::removeDeletesOnlyThatDelivery()
{
    const Outbox outbox(outboxPath());
    QCOMPARE(outbox.open(), QString());
    const Delivery a = makeDelivery(kIdA, wallAt(1s));
    const Delivery b = makeDelivery(kIdB, wallAt(2s), QStringLiteral("email"));
    QCOMPARE(outbox.store(a), QString());
    QCOMPARE(outbox.store(b), QString());
    outbox.remove(a);
    QCOMPARE(filesIn(outboxPath()), QStringList{kIdB + QStringLiteral(".json")});
    const std::vector<Delivery> loaded = outbox.load(nullptr);
    QCOMPARE(loaded.size(), std::size_t(1));
    QCOMPARE(loaded.front().id, kIdB);
    QCOMPARE(loaded.front().channel, QStringLiteral("email"));
    outbox.remove(a); // gone already: harmless
    outbox.remove(b);
    QVERIFY(filesIn(outboxPath()).isEmpty());
    QVERIFY(outbox.load(nullptr).empty());
}

void TestOutbox::loadOrdersByQueuedTime()
{
    const Outbox outbox(outboxPath());
    QCOMPARE(outbox.open(), QString());
    // Names sort A, B, C; queued times C, A, B.
    QCOMPARE(outbox.store(makeDelivery(kIdA, wallAt(2min))), QString());
    QCOMPARE(outbox.store(makeDelivery(kIdB, wallAt(3min) + 1ms)), QString());
    QCOMPARE(outbox.store(makeDelivery(kIdC, wallAt(1min))), QString());
    const std::vector<Delivery> loaded = outbox.load(nullptr);
    QCOMPARE(loaded.size(), std::size_t(3));
    QCOMPARE(loaded[0].id, kIdC);
    QCOMPARE(loaded[1].id, kIdA);
    QCOMPARE(loaded[2].id, kIdB);
}

void TestOutbox::loadOfAnEmptyOrMissingDirectory()
{
    QStringList problems;
    QVERIFY(Outbox(outboxPath()).load(&problems).empty());
    QVERIFY(problems.isEmpty());
    QCOMPARE(Outbox(outboxPath()).open(), QString());
    QVERIFY(Outbox(outboxPath()).load(&problems).empty());
    QVERIFY(problems.isEmpty());
}

void TestOutbox::unreadableFilesAreMovedAsideAndReported_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content");

    const auto deliveryJson = [](const QString& id, const QJsonObject& payload) {
        return QJsonDocument(QJsonObject{{QStringLiteral("id"), id},
                                         {QStringLiteral("channel"), QStringLiteral("webhook")},
                                         {QStringLiteral("queued_at"),
                                          QStringLiteral("2026-01-01T00:00:00.000Z")},
                                         {QStringLiteral("attempts"), 0},
                                         {QStringLiteral("payload"), payload}})
            .toJson();
    };
    const QJsonObject goodPayload =
        alertmanagerPayload(makeDelivery(kIdC, wallAt(0s)).notification);
    const QString mine = kIdC + QStringLiteral(".json");

    QTest::addRow("empty") << mine << QByteArray();
    QTest::addRow("garbage") << mine << QByteArray("\x00\xff garbage \x01", 13);
    QTest::addRow("truncated") << mine << deliveryJson(kIdC, goodPayload).left(100);
    QTest::addRow("an array") << mine << QByteArray("[1, 2, 3]");
    QTest::addRow("someone else's object") << mine << QByteArray(R"({"name": "notes"})");
    QTest::addRow("no channel") << mine
                                << QJsonDocument(
                                       QJsonObject{{QStringLiteral("id"), kIdC},
                                                   {QStringLiteral("queued_at"),
                                                    QStringLiteral("2026-01-01T00:00:00.000Z")},
                                                   {QStringLiteral("payload"), goodPayload}})
                                       .toJson();
    QTest::addRow("bad queued_at")
        << mine
        << QByteArray(deliveryJson(kIdC, goodPayload)
                          .replace("2026-01-01T00:00:00.000Z", "the day before yesterday"));
    QTest::addRow("payload of another version")
        << mine
        << deliveryJson(kIdC, QJsonObject{{QStringLiteral("version"), QStringLiteral("3")}});
    QTest::addRow("payload without alerts")
        << mine
        << deliveryJson(kIdC, QJsonObject{{QStringLiteral("version"), QStringLiteral("4")}});
    QTest::addRow("id not its name") << mine << deliveryJson(kIdB, goodPayload);
    QTest::addRow("not an id") << QStringLiteral("not_an_id.json")
                               << deliveryJson(QStringLiteral("not_an_id"), goodPayload);
    QTest::addRow("too large") << mine
                               << QByteArray(QByteArray(R"({"id":")") +
                                             QByteArray(5 * 1024 * 1024, 'x') + "\"}");
}

void TestOutbox::unreadableFilesAreMovedAsideAndReported()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    const Outbox outbox(outboxPath());
    QCOMPARE(outbox.open(), QString());
    const Delivery good = makeDelivery(kIdA, wallAt(1h));
    QCOMPARE(outbox.store(good), QString());
    const QString path = QDir(outboxPath()).filePath(name);
    writeFile(path, content);

    QStringList problems;
    const std::vector<Delivery> loaded = outbox.load(&problems);
    // The good one is not lost for the bad one.
    QCOMPARE(loaded.size(), std::size_t(1));
    compareDeliveries(loaded.front(), good);
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.front().contains(name), qPrintable(problems.front()));
    // Moved aside whole, never deleted: it may hold an alert.
    QVERIFY(!QFile::exists(path));
    QCOMPARE(readFile(path + QStringLiteral(".unreadable")), content);

    // Reported once: the next start does not trip over it again.
    problems.clear();
    QCOMPARE(outbox.load(&problems).size(), std::size_t(1));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    // And problems may go unasked for.
    writeFile(path, content);
    QCOMPARE(outbox.load(nullptr).size(), std::size_t(1));
}

void TestOutbox::otherFilesAreLeftAlone()
{
    const Outbox outbox(outboxPath());
    QCOMPARE(outbox.open(), QString());
    QCOMPARE(outbox.store(makeDelivery(kIdA, wallAt(0s))), QString());
    const QDir dir(outboxPath());
    writeFile(dir.filePath(QStringLiteral("README.txt")), "notes");
    writeFile(dir.filePath(QStringLiteral("old.json.unreadable")), "kept");
    QVERIFY(dir.mkdir(QStringLiteral("sub.json")));
    QStringList problems;
    QCOMPARE(outbox.load(&problems).size(), std::size_t(1));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    QCOMPARE(readFile(dir.filePath(QStringLiteral("README.txt"))), QByteArray("notes"));
    QCOMPARE(readFile(dir.filePath(QStringLiteral("old.json.unreadable"))), QByteArray("kept"));
    QVERIFY(QFileInfo(dir.filePath(QStringLiteral("sub.json"))).isDir());
}

void TestOutbox::movedAsideFilesAreNeverOverwritten()
{
    const Outbox outbox(outboxPath());
    QCOMPARE(outbox.open(), QString());
    const QString path = QDir(outboxPath()).filePath(kIdA + QStringLiteral(".json"));
    writeFile(path, "first");
    outbox.load(nullptr);
    writeFile(path, "second");
    QStringList problems;
    QVERIFY(outbox.load(&problems).empty());
    QCOMPARE(problems.size(), 1);
    // Whatever happens to the second, the first stays as it was, and neither is deleted.
    QCOMPARE(readFile(path + QStringLiteral(".unreadable")), QByteArray("first"));
    bool secondKept = readFile(path) == "second";
    for (const QString& name : filesIn(outboxPath()))
        secondKept = secondKept || readFile(QDir(outboxPath()).filePath(name)) == "second";
    QVERIFY(secondKept);
}

QTEST_GUILESS_MAIN(TestOutbox)
#include "tst_outbox.moc"
