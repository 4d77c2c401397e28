#pragma once

#include "callrequest.h"

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

namespace breakwater {

// The calls waiting for the pipeline, bounded. Any thread pushes; the pipeline thread pops. A full
// queue refuses at once instead of making the caller wait.
class CallQueue final
{
public:
    explicit CallQueue(std::size_t capacity)
        : m_capacity(capacity)
    {}
    CallQueue(const CallQueue&) = delete;
    CallQueue& operator=(const CallQueue&) = delete;

    enum class Push : quint8
    {
        Refused,     // full
        Queued,      // the pipeline already has a wake-up coming
        QueuedFirst, // the queue was idle: the caller must wake the pipeline
    };
    Push push(QueuedCall call);

    // The next call; when there is none, the queue goes idle in the same breath, so the next push
    // reports QueuedFirst and no call is ever left without a wake-up.
    std::optional<QueuedCall> pop();
    // Takes everything at once (shutdown) and goes idle.
    std::deque<QueuedCall> takeAll();

    std::size_t size() const;
    std::size_t capacity() const noexcept { return m_capacity; }

private:
    const std::size_t m_capacity;
    mutable std::mutex m_mutex;
    std::deque<QueuedCall> m_calls; // guarded by m_mutex
    bool m_awake = false;           // guarded by m_mutex: a wake-up is pending or running
};

} // namespace breakwater
