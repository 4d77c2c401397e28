#include "bridge/eventbridge.h"

#include <QSignalSpy>
#include <QTest>

#include <thread>

using namespace breakwater;

namespace {

Event numbered(std::uint64_t n)
{
    Event e;
    e.sequence = n;
    e.type = EventType::CallStarted;
    e.callId = n;
    return e;
}

std::vector<Event> numberedRange(std::uint64_t from, std::uint64_t to)
{
    std::vector<Event> events;
    for (std::uint64_t n = from; n < to; ++n)
        events.push_back(numbered(n));
    return events;
}

} // namespace

// The bridge carries the stream's batches to the GUI thread: whole, in order, bounded.
class TestEventBridge : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deliversEverythingFromAnotherThreadAsOneBatchInOrder()
    {
        EventBridge bridge(100'000);
        std::vector<std::uint64_t> received;
        int batches = 0;
        connect(&bridge, &EventBridge::eventsArrived, this, [&](std::span<const Event> events) {
            ++batches;
            for (const Event& e : events)
                received.push_back(e.sequence);
        });
        std::thread stream([&] {
            for (std::uint64_t from = 0; from < 5000; from += 500) {
                const auto batch = numberedRange(from, from + 500);
                bridge.consume(batch);
            }
        });
        stream.join();
        bridge.deliverPending();
        QCOMPARE(batches, 1);
        QCOMPARE(received.size(), std::size_t(5000));
        for (std::size_t i = 0; i < received.size(); ++i)
            QCOMPARE(received[i], std::uint64_t(i));
        QCOMPARE(bridge.eventsDelivered(), std::uint64_t(5000));
        QCOMPARE(bridge.eventsDropped(), std::uint64_t(0));
    }

    void nothingWaitingEmitsNothing()
    {
        EventBridge bridge(10);
        QSignalSpy spy(&bridge, &EventBridge::eventsArrived);
        bridge.deliverPending();
        QCOMPARE(spy.count(), 0);
    }

    void aStalledWindowKeepsTheNewestAndCountsTheRest_data()
    {
        QTest::addColumn<int>("batchSize");
        QTest::addRow("small batches") << 3;
        QTest::addRow("one batch larger than the limit") << 25;
    }

    void aStalledWindowKeepsTheNewestAndCountsTheRest()
    {
        QFETCH(int, batchSize);
        EventBridge bridge(10);
        std::vector<std::uint64_t> received;
        connect(&bridge, &EventBridge::eventsArrived, this, [&](std::span<const Event> events) {
            for (const Event& e : events)
                received.push_back(e.sequence);
        });
        std::uint64_t next = 0;
        while (next < 25) {
            const std::uint64_t to = std::min<std::uint64_t>(next + std::uint64_t(batchSize), 25);
            bridge.consume(numberedRange(next, to));
            next = to;
        }
        bridge.deliverPending();
        QCOMPARE(received.size(), std::size_t(10));
        QCOMPARE(received.front(), std::uint64_t(15));
        QCOMPARE(received.back(), std::uint64_t(24));
        QCOMPARE(bridge.eventsDropped(), std::uint64_t(15));
    }

    void theTimerDeliversWithoutBeingAsked()
    {
        EventBridge bridge(100);
        QSignalSpy spy(&bridge, &EventBridge::eventsArrived);
        bridge.start(std::chrono::milliseconds(10));
        bridge.consume(numberedRange(0, 3));
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 10'000);
        bridge.stop();
    }
};

QTEST_GUILESS_MAIN(TestEventBridge)
#include "tst_eventbridge.moc"
