#pragma once

#include "simulatorcontrol.h"

#include <QHostAddress>
#include <QUrl>

#include <memory>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace breakwater {

class ElevenLabsSimulator;

// Runs an ElevenLabsSimulator on its own named thread ("bw-simulator"), beside the pipeline, so
// the dashboard and the headless agent can serve while they call it. Use it from one thread (the
// one that owns it); the plan and counters, through control(), from any thread. The destructor
// stops the server and joins the thread.
class SimulatorHost final
{
public:
    explicit SimulatorHost(std::shared_ptr<SimulatorControl> control = nullptr);
    ~SimulatorHost();
    Q_DISABLE_COPY_MOVE(SimulatorHost)

    // Starts the thread and listens; returns once the port is bound or refused. On failure the
    // thread is gone again and errorString() says why (e.g. the port is in use).
    bool start(const QHostAddress& address = QHostAddress(QHostAddress::LocalHost),
               quint16 port = 0);
    // Closes every connection (hung ones included), destroys the server and joins the thread.
    void stop();

    bool isRunning() const { return m_server != nullptr; }
    quint16 port() const { return m_port; }
    QUrl baseUrl() const { return m_baseUrl; }
    QString errorString() const { return m_error; }
    QThread* thread() const { return m_thread.get(); }

    SimulatorControl& control() const { return *m_control; }
    std::shared_ptr<SimulatorControl> sharedControl() const { return m_control; }
    QString setFaultPlan(const FaultPlan& plan) { return m_control->setFaultPlan(plan); }
    FaultPlan faultPlan() const { return m_control->faultPlan(); }
    void setPlanListener(SimulatorControl::PlanListener listener)
    {
        m_control->setPlanListener(std::move(listener));
    }
    SimulatorCounters counters() const { return m_control->counters(); }

private:
    std::shared_ptr<SimulatorControl> m_control;
    std::unique_ptr<QThread> m_thread;
    ElevenLabsSimulator* m_server = nullptr; // lives on m_thread; deleted there
    quint16 m_port = 0;
    QUrl m_baseUrl;
    QString m_error;
};

} // namespace breakwater
