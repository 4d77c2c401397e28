#include "telemetry/sheets/sheetsqueue.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <memory>
#include <thread>

using namespace breakwater;

namespace {

QByteArray row(int n, qsizetype padding = 0)
{
    QByteArray text = "[\"row-" + QByteArray::number(n) + "\"," + QByteArray::number(n);
    if (padding > 0)
        text += ",\"" + QByteArray(padding, 'p') + '"';
    return text + ']';
}

QByteArrayList rows(int from, int count)
{
    QByteArrayList out;
    for (int i = from; i < from + count; ++i)
        out.append(row(i));
    return out;
}

// The number each row carries, in the order given.
QList<int> numbers(const QByteArrayList& batchRows)
{
    QList<int> out;
    for (const QByteArray& text : batchRows)
        out.append(QJsonDocument::fromJson(text).array().at(1).toInt(-1));
    return out;
}

QList<int> range(int from, int count)
{
    QList<int> out;
    for (int i = from; i < from + count; ++i)
        out.append(i);
    return out;
}

QStringList segmentFiles(const QString& dir)
{
    return QDir(dir).entryList({QStringLiteral("rows-*.jsonl")}, QDir::Files, QDir::Name);
}

std::unique_ptr<SheetsQueue> openQueue(const QString& dir, std::uint64_t maxRows = 1000,
                                       std::uint64_t segmentRows = 10'000,
                                       QStringList* problems = nullptr)
{
    auto queue = std::make_unique<SheetsQueue>(dir, SheetsQueueOptions{maxRows, segmentRows});
    QStringList ignored;
    const QString error = queue->open(problems ? problems : &ignored);
    if (!error.isEmpty()) {
        qWarning("%s", qPrintable(error));
        return nullptr;
    }
    return queue;
}

// Takes every row out in batches of `batchRows`, acknowledging each.
QList<int> drain(SheetsQueue& queue, int batchRows)
{
    QList<int> out;
    for (int guard = 0; guard < 100'000; ++guard) {
        const SheetsBatch batch = queue.peek(batchRows, 1 << 20);
        if (batch.isEmpty())
            break;
        out += numbers(batch.rows);
        const QString error = queue.acknowledge(batch);
        if (!error.isEmpty())
            qWarning("%s", qPrintable(error));
    }
    return out;
}

void appendFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Append));
    QCOMPARE(file.write(bytes), bytes.size());
}

} // namespace

class TestSheetsQueue final : public QObject
{
    Q_OBJECT

private slots:
    void keepsRowsInOrderAcrossSegments();
    void peekingTakesNothingAway();
    void boundsTheRowsAndCountsTheRest();
    void survivesReopenAndSendsNoneTwice();
    void numbersOnAfterEverythingWasAcknowledged();
    void cutsOffARowACrashLeftHalfWritten();
    void skipsLinesThatAreNotRows();
    void unreadableAcknowledgementSendsEverythingAgain();
    void batchStaysUnderTheByteLimitButTakesOneRowAnyway();
    void refusesAStaleBatch();
    void refusesASecondUserOfTheDirectory();
    void noneLostOrTwiceWhileAppendingConcurrently();
};

void TestSheetsQueue::keepsRowsInOrderAcrossSegments()
{
    QTemporaryDir dir;
    const auto queue = openQueue(dir.path(), 1000, 7);
    QVERIFY(queue);
    int next = 0;
    for (const int chunk : {1, 6, 3, 12, 7, 21}) {
        const SheetsQueue::AppendResult result = queue->append(rows(next, chunk));
        QCOMPARE(result.accepted, std::size_t(chunk));
        next += chunk;
    }
    QCOMPARE(queue->queuedRows(), std::uint64_t(50));
    QCOMPARE(segmentFiles(dir.path()).size(), 8); // 7 rows each, the last one 1

    const QList<int> sent = drain(*queue, 10);
    QCOMPARE(sent, range(0, 50));
    QCOMPARE(queue->queuedRows(), std::uint64_t(0));
    QCOMPARE(queue->droppedRows(), std::uint64_t(0));
    // Acknowledged segments are gone; the one taking appends stays.
    QCOMPARE(segmentFiles(dir.path()),
             QStringList{QStringLiteral("rows-00000000000000000049.jsonl")});
}

void TestSheetsQueue::peekingTakesNothingAway()
{
    QTemporaryDir dir;
    const auto queue = openQueue(dir.path());
    QVERIFY(queue);
    queue->append(rows(0, 5));
    const SheetsBatch first = queue->peek(3, 1 << 20);
    QCOMPARE(numbers(first.rows), range(0, 3));
    QCOMPARE(numbers(queue->peek(3, 1 << 20).rows), range(0, 3));
    QCOMPARE(queue->queuedRows(), std::uint64_t(5));
    QVERIFY(queue->acknowledge(first).isEmpty());
    QCOMPARE(numbers(queue->peek(3, 1 << 20).rows), range(3, 2));
    QCOMPARE(queue->queuedRows(), std::uint64_t(2));
}

void TestSheetsQueue::boundsTheRowsAndCountsTheRest()
{
    QTemporaryDir dir;
    const auto queue = openQueue(dir.path(), 100, 30);
    QVERIFY(queue);
    SheetsQueue::AppendResult result = queue->append(rows(0, 130));
    QCOMPARE(result.accepted, std::size_t(100));
    QCOMPARE(result.droppedFull, std::size_t(30));
    QCOMPARE(result.droppedWrite, std::size_t(0));
    QCOMPARE(queue->queuedRows(), std::uint64_t(100));
    QVERIFY(!queue->hasRoom());
    result = queue->append(rows(130, 5));
    QCOMPARE(result.accepted, std::size_t(0));
    QCOMPARE(queue->droppedRows(), std::uint64_t(35));

    // Room for what went out, and no more.
    QVERIFY(queue->acknowledge(queue->peek(10, 1 << 20)).isEmpty());
    result = queue->append(rows(200, 20));
    QCOMPARE(result.accepted, std::size_t(10));
    QCOMPARE(result.droppedFull, std::size_t(10));
    QCOMPARE(queue->droppedRows(), std::uint64_t(45));
    // The oldest are kept: they are what the spreadsheet is missing.
    QCOMPARE(drain(*queue, 64), range(10, 90) + range(200, 10));
}

void TestSheetsQueue::survivesReopenAndSendsNoneTwice()
{
    QTemporaryDir dir;
    {
        const auto queue = openQueue(dir.path(), 1000, 8);
        QVERIFY(queue);
        queue->append(rows(0, 40));
        QVERIFY(queue->acknowledge(queue->peek(15, 1 << 20)).isEmpty());
        // Peeked but never acknowledged: as if the process died while the request was out.
        QCOMPARE(numbers(queue->peek(5, 1 << 20).rows), range(15, 5));
    }
    {
        QStringList problems;
        const auto queue = openQueue(dir.path(), 1000, 8, &problems);
        QVERIFY(queue);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        QCOMPARE(queue->queuedRows(), std::uint64_t(25));
        queue->append(rows(40, 10));
        QVERIFY(queue->acknowledge(queue->peek(12, 1 << 20)).isEmpty());
    }
    const auto queue = openQueue(dir.path(), 1000, 8);
    QVERIFY(queue);
    QCOMPARE(queue->queuedRows(), std::uint64_t(23));
    QCOMPARE(drain(*queue, 7), range(27, 23));
}

void TestSheetsQueue::numbersOnAfterEverythingWasAcknowledged()
{
    QTemporaryDir dir;
    {
        const auto queue = openQueue(dir.path());
        QVERIFY(queue);
        queue->append(rows(0, 10));
        QCOMPARE(drain(*queue, 4), range(0, 10));
    }
    const auto queue = openQueue(dir.path());
    QVERIFY(queue);
    QCOMPARE(queue->queuedRows(), std::uint64_t(0));
    QVERIFY(queue->peek(10, 1 << 20).isEmpty());
    queue->append(rows(10, 3));
    const SheetsBatch batch = queue->peek(10, 1 << 20);
    QCOMPARE(batch.firstRow, std::uint64_t(10)); // never a number an earlier run used
    QCOMPARE(numbers(batch.rows), range(10, 3));
}

void TestSheetsQueue::cutsOffARowACrashLeftHalfWritten()
{
    QTemporaryDir dir;
    {
        const auto queue = openQueue(dir.path());
        QVERIFY(queue);
        queue->append(rows(0, 4));
    }
    const QStringList files = segmentFiles(dir.path());
    QCOMPARE(files.size(), 1);
    appendFile(QDir(dir.path()).filePath(files.front()), "[\"row-4\",4,\"cut sh");

    QStringList problems;
    const auto queue = openQueue(dir.path(), 1000, 10'000, &problems);
    QVERIFY(queue);
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.front().contains(u"cut short"), qPrintable(problems.front()));
    QCOMPARE(queue->droppedRows(), std::uint64_t(1));
    QCOMPARE(queue->queuedRows(), std::uint64_t(4));
    // New rows start on a line of their own, not glued to the half row.
    queue->append(rows(5, 2));
    const SheetsBatch batch = queue->peek(100, 1 << 20);
    QCOMPARE(batch.unreadableRows, 0);
    QCOMPARE(numbers(batch.rows), QList<int>({0, 1, 2, 3, 5, 6}));
}

void TestSheetsQueue::skipsLinesThatAreNotRows()
{
    QTemporaryDir dir;
    appendFile(QDir(dir.path()).filePath(QStringLiteral("rows-00000000000000000000.jsonl")),
               row(0) + "\n{\"not\":\"an array\"}\n" + row(2) + "\ngarbage\n" + row(4) + '\n');
    appendFile(QDir(dir.path()).filePath(QStringLiteral("rows-notanumber.jsonl")), row(9) + '\n');
    QStringList problems;
    const auto queue = openQueue(dir.path(), 1000, 10'000, &problems);
    QVERIFY(queue);
    QCOMPARE(problems.size(), 1); // the stranger, moved aside rather than deleted
    QVERIFY(QFile::exists(
        QDir(dir.path()).filePath(QStringLiteral("rows-notanumber.jsonl.unreadable"))));
    QCOMPARE(queue->queuedRows(), std::uint64_t(5));

    const SheetsBatch batch = queue->peek(100, 1 << 20);
    QCOMPARE(numbers(batch.rows), QList<int>({0, 2, 4}));
    QCOMPARE(batch.unreadableRows, 2);
    QCOMPARE(batch.lines, std::uint64_t(5));
    QVERIFY(queue->acknowledge(batch).isEmpty());
    QCOMPARE(queue->droppedRows(), std::uint64_t(2));
    QCOMPARE(queue->queuedRows(), std::uint64_t(0));
}

void TestSheetsQueue::unreadableAcknowledgementSendsEverythingAgain()
{
    QTemporaryDir dir;
    {
        const auto queue = openQueue(dir.path());
        QVERIFY(queue);
        queue->append(rows(0, 6));
        QVERIFY(queue->acknowledge(queue->peek(2, 1 << 20)).isEmpty());
    }
    QFile ack(QDir(dir.path()).filePath(QStringLiteral("acknowledged")));
    QVERIFY(ack.open(QIODevice::WriteOnly | QIODevice::Truncate));
    ack.write("scribbled over");
    ack.close();
    QStringList problems;
    const auto queue = openQueue(dir.path(), 1000, 10'000, &problems);
    QVERIFY(queue);
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.front().contains(u"event_id"), qPrintable(problems.front()));
    // Twice rather than never: the event_id column tells the repeats.
    QCOMPARE(drain(*queue, 10), range(0, 6));
}

void TestSheetsQueue::batchStaysUnderTheByteLimitButTakesOneRowAnyway()
{
    QTemporaryDir dir;
    const auto queue = openQueue(dir.path());
    QVERIFY(queue);
    queue->append({row(0, 1000), row(1, 1000), row(2, 1000), row(3, 1000)});
    const SheetsBatch two = queue->peek(100, 2500);
    QCOMPARE(numbers(two.rows), QList<int>({0, 1}));
    QVERIFY(two.bytes <= 2500);
    const SheetsBatch one = queue->peek(100, 10);
    QCOMPARE(numbers(one.rows), QList<int>({0}));
    QVERIFY(queue->acknowledge(one).isEmpty());
    QCOMPARE(numbers(queue->peek(100, 1 << 20).rows), QList<int>({1, 2, 3}));
}

void TestSheetsQueue::refusesAStaleBatch()
{
    QTemporaryDir dir;
    const auto queue = openQueue(dir.path());
    QVERIFY(queue);
    queue->append(rows(0, 4));
    const SheetsBatch batch = queue->peek(2, 1 << 20);
    QVERIFY(queue->acknowledge(batch).isEmpty());
    QVERIFY(!queue->acknowledge(batch).isEmpty()); // the same rows cannot go twice
    QCOMPARE(queue->queuedRows(), std::uint64_t(2));
    QCOMPARE(drain(*queue, 10), range(2, 2));
}

void TestSheetsQueue::refusesASecondUserOfTheDirectory()
{
    QTemporaryDir dir;
    const auto first = openQueue(dir.path());
    QVERIFY(first);
    SheetsQueue second(dir.path(), {});
    QStringList problems;
    const QString error = second.open(&problems);
    QVERIFY2(error.contains(u"in use"), qPrintable(error));
    QVERIFY(!second.isOpen());
    const SheetsQueue::AppendResult result = second.append(rows(0, 3));
    QCOMPARE(result.droppedWrite, std::size_t(3)); // counted, not silently gone
    QVERIFY(!result.error.isEmpty());
}

void TestSheetsQueue::noneLostOrTwiceWhileAppendingConcurrently()
{
    constexpr int kTotal = 20'000;
    QTemporaryDir dir;
    const auto queue = openQueue(dir.path(), kTotal, 997);
    QVERIFY(queue);
    std::atomic<bool> done{false};
    std::thread writer([&] {
        for (int next = 0; next < kTotal;) {
            const int chunk = std::min(1 + next % 37, kTotal - next);
            queue->append(rows(next, chunk));
            next += chunk;
        }
        done = true;
    });
    QList<int> sent;
    while (!done || queue->queuedRows() > 0) {
        const SheetsBatch batch = queue->peek(500, 1 << 20);
        if (batch.isEmpty()) {
            std::this_thread::yield();
            continue;
        }
        sent += numbers(batch.rows);
        QVERIFY(queue->acknowledge(batch).isEmpty());
    }
    writer.join();
    QCOMPARE(sent.size(), kTotal);
    QCOMPARE(sent, range(0, kTotal));
    QCOMPARE(queue->droppedRows(), std::uint64_t(0));
}

QTEST_GUILESS_MAIN(TestSheetsQueue)
#include "tst_sheetsqueue.moc"
