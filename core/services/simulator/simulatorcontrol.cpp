#include "simulatorcontrol.h"

#include <utility>

namespace breakwater {

QString SimulatorControl::setFaultPlan(const FaultPlan& plan)
{
    if (QString problem = validateFaultPlan(plan); !problem.isEmpty())
        return problem;

    const QMutexLocker changeLock(&m_changeMutex);
    FaultPlan before;
    PlanListener listener;
    {
        const QMutexLocker lock(&m_planMutex);
        before = std::exchange(m_plan, plan);
        m_random = SplitMix64(plan.seed);
        listener = m_listener;
    }
    // Outside the plan lock: the listener may read the plan, publish events, take its own locks.
    if (listener && before != plan)
        listener(before, plan);
    return {};
}

FaultPlan SimulatorControl::faultPlan() const
{
    const QMutexLocker lock(&m_planMutex);
    return m_plan;
}

void SimulatorControl::setPlanListener(PlanListener listener)
{
    // Also waits out a listener call in progress, so once this returns the old listener is never
    // called again: its owner may go away.
    const QMutexLocker changeLock(&m_changeMutex);
    const QMutexLocker lock(&m_planMutex);
    m_listener = std::move(listener);
}

FaultDecision SimulatorControl::decide()
{
    const QMutexLocker lock(&m_planMutex);
    FaultDecision decision{m_plan.mode, m_plan.latency, m_plan.retryAfter};
    if (m_plan.mode == FaultMode::Flapping) {
        const bool fails = m_random.nextUnit() < m_plan.flappingFailureRate;
        decision.mode = fails ? m_plan.flappingFailure : FaultMode::Healthy;
    }
    return decision;
}

void SimulatorControl::countConnection()
{
    m_connections.fetch_add(1, std::memory_order_relaxed);
}

void SimulatorControl::countReceived(SimulatorEndpoint endpoint)
{
    m_received[std::size_t(endpoint)].fetch_add(1, std::memory_order_relaxed);
}

void SimulatorControl::countAnswered(SimulatorOutcome outcome)
{
    m_answered[std::size_t(outcome)].fetch_add(1, std::memory_order_relaxed);
}

SimulatorCounters SimulatorControl::counters() const
{
    SimulatorCounters snapshot;
    snapshot.connections = m_connections.load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < m_received.size(); ++i)
        snapshot.received[i] = m_received[i].load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < m_answered.size(); ++i)
        snapshot.answered[i] = m_answered[i].load(std::memory_order_relaxed);
    return snapshot;
}

void SimulatorControl::resetCounters()
{
    m_connections.store(0, std::memory_order_relaxed);
    for (auto& count : m_received)
        count.store(0, std::memory_order_relaxed);
    for (auto& count : m_answered)
        count.store(0, std::memory_order_relaxed);
}

} // namespace breakwater
