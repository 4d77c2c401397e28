#pragma once

#include "retry/splitmix64.h"

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <cstdint>

namespace breakwater {

class CallPipeline;

// Drives the pipeline with calls at a steady rate, each with a script picked at random from a
// pool, as an agent's dialler would. Lives on the thread that created it; submitting never blocks.
class LoadGenerator final : public QObject
{
    Q_OBJECT

public:
    // scripts empty: the built-in pool.
    LoadGenerator(CallPipeline& pipeline, QStringList scripts, std::uint64_t seed,
                  QObject* parent = nullptr);

    void setCallsPerSecond(double rate); // 0 pauses
    double callsPerSecond() const noexcept { return m_rate; }
    void start();
    void stop();
    bool isRunning() const { return m_timer.isActive(); }
    std::uint64_t submitted() const noexcept { return m_submitted; }

Q_SIGNALS:
    void runningChanged(bool running);

private:
    void tick();

    CallPipeline& m_pipeline;
    const QStringList m_scripts;
    SplitMix64 m_random;
    double m_rate = 0.0;
    double m_credit = 0.0; // calls owed since the last tick, fractional
    QTimer m_timer;
    QElapsedTimer m_sinceTick;
    std::uint64_t m_submitted = 0;
};

} // namespace breakwater
