#pragma once

#include <QObject>

#include <atomic>
#include <future>

namespace breakwater {

// Runs fn on context's thread, through its event loop, and waits until it has run. It does what
// Qt::BlockingQueuedConnection does, but the handshake is a std::promise rather than Qt's
// semaphore: ThreadSanitizer sees it (Debian's Qt is not instrumented), so what fn wrote is known
// to happen before what the caller reads afterwards, and no false race is reported on it.
// Never call it from context's own thread: it would wait for itself.
template <typename Fn> void callAndWait(QObject* context, Fn&& fn)
{
    // The same in the other direction: what the caller wrote before the call is published by the
    // release store and picked up by the acquire load, not only by Qt's own event queue.
    std::atomic<bool> handedOver{false};
    std::promise<void> done;
    handedOver.store(true, std::memory_order_release);
    QMetaObject::invokeMethod(
        context,
        [&fn, &done, &handedOver] {
            (void)handedOver.load(std::memory_order_acquire);
            fn();
            done.set_value();
        },
        Qt::QueuedConnection);
    done.get_future().wait();
}

} // namespace breakwater
