#include "eventrecorder.h"
#include "events/eventstream.h"

#include <QTest>

#include <condition_variable>
#include <mutex>

using namespace breakwater;

namespace {

// A sink that holds the dispatch thread until the test lets go: the stream backs up behind it.
class GatedSink final : public EventSink
{
public:
    void consume(std::span<const Event>) override
    {
        std::unique_lock lock(m_mutex);
        m_entered = true;
        m_changed.notify_all();
        m_changed.wait(lock, [this] { return m_open; });
    }
    void waitUntilEntered()
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_entered; });
    }
    void open()
    {
        std::lock_guard lock(m_mutex);
        m_open = true;
        m_changed.notify_all();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_entered = false;
    bool m_open = false;
};

// Publishes an alert for every breaker transition it sees, as the alert manager does.
class EchoSink final : public EventSink
{
public:
    explicit EchoSink(EventPublisher& out)
        : m_out(out)
    {}
    void consume(std::span<const Event> events) override
    {
        for (const Event& e : events) {
            if (e.type == EventType::BreakerTransition) {
                Event alert;
                alert.type = EventType::AlertRaised;
                m_out.publish(alert);
            }
        }
    }

private:
    EventPublisher& m_out;
};

Event ofType(EventType type, std::uint64_t callId = 0)
{
    Event e;
    e.type = type;
    e.callId = callId;
    return e;
}

} // namespace

class TestEventStream : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deliversInOrderWithSequenceNumbers()
    {
        EventStream stream;
        test::EventRecorder recorder;
        stream.addSink(&recorder);
        stream.start();
        for (int i = 1; i <= 1000; ++i)
            stream.publish(ofType(EventType::CallStarted, std::uint64_t(i)));
        stream.stop();
        const auto events = recorder.events();
        QCOMPARE(events.size(), 1000u);
        for (std::size_t i = 0; i < events.size(); ++i) {
            QCOMPARE(events[i].sequence, i + 1);
            QCOMPARE(events[i].callId, i + 1);
        }
    }

    void eventsBeforeStartWaitForIt()
    {
        EventStream stream;
        test::EventRecorder recorder;
        stream.addSink(&recorder);
        stream.publish(ofType(EventType::CallStarted));
        stream.start();
        stream.stop();
        QCOMPARE(recorder.count(EventType::CallStarted), 1);
    }

    void stopHandsOverWhatSinksPublishInResponse()
    {
        EventStream stream;
        EchoSink echo(stream);
        test::EventRecorder recorder;
        stream.addSink(&echo);
        stream.addSink(&recorder);
        stream.start();
        stream.publish(ofType(EventType::BreakerTransition));
        stream.stop();
        QCOMPARE(recorder.count(EventType::AlertRaised), 1);
    }

    void aFullStreamShedsDetailButKeepsEveryEnding()
    {
        EventStreamConfig config;
        config.capacity = 100;
        EventStream stream(config);
        GatedSink gate;
        test::EventRecorder recorder;
        stream.addSink(&gate);
        stream.addSink(&recorder);
        stream.start();
        stream.publish(ofType(EventType::CallStarted)); // holds the dispatch thread at the gate
        gate.waitUntilEntered();

        for (int i = 0; i < 150; ++i)
            stream.publish(ofType(EventType::AttemptStarted));
        for (std::uint64_t id = 1; id <= 20; ++id)
            stream.publish(ofType(EventType::CallSucceeded, id));
        QCOMPARE(stream.droppedCount(), 50u); // detail past the capacity, never an ending

        gate.open();
        stream.stop(); // the drop is reported with the next batch, nothing else needed

        QCOMPARE(recorder.count(EventType::CallSucceeded), 20);
        QCOMPARE(recorder.count(EventType::AttemptStarted), 100);
        QCOMPARE(recorder.count(EventType::EventsDropped), 1);
        for (const Event& e : recorder.events()) {
            if (e.type == EventType::EventsDropped)
                QVERIFY(e.message.startsWith(QStringLiteral("50 events")));
        }
    }

    void evenEndingsAreShedPastTheReserve()
    {
        EventStreamConfig config;
        config.capacity = 40; // plus a reserve of 10 for endings
        EventStream stream(config);
        GatedSink gate;
        stream.addSink(&gate);
        stream.start();
        stream.publish(ofType(EventType::CallStarted));
        gate.waitUntilEntered();
        for (std::uint64_t id = 1; id <= 60; ++id)
            stream.publish(ofType(EventType::CallFailed, id));
        QCOMPARE(stream.droppedCount(), 10u); // bounded memory, whatever is published
        gate.open();
        stream.stop();
    }
};

QTEST_GUILESS_MAIN(TestEventStream)
#include "tst_eventstream.moc"
