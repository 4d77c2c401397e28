#pragma once

#include "clock.h"

#include <QObject>

#include <mutex>
#include <unordered_map>

namespace breakwater {

// The real clock. Timers are Qt timers of this object, so callbacks run on the thread it lives on
// (the pipeline thread in production) and need that thread's event loop. schedule() and cancel()
// may be called from any thread; destroy the clock on its own thread.
class SystemClock final : public QObject, public Clock
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SystemClock)

public:
    explicit SystemClock(QObject* parent = nullptr);
    ~SystemClock() override;

    TimePoint now() const noexcept override;
    TimePoint coarseNow() const noexcept override;
    WallTime wallNow() const noexcept override;
    TimerId schedule(Duration delay, Callback callback) override;
    void cancel(TimerId id) noexcept override;

protected:
    void timerEvent(QTimerEvent* event) override;

private:
    struct Entry
    {
        Callback callback;
        TimePoint due;
    };

    void arm(TimerId id);

    std::mutex m_mutex;
    std::unordered_map<TimerId, Entry> m_entries;
    std::unordered_map<int, TimerId> m_idByQtTimer; // touched only on the clock's thread
    TimerId m_lastId = 0;
};

} // namespace breakwater
