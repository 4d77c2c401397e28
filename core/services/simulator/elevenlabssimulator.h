#pragma once

#include "simulatedelevenlabsapi.h"
#include "simulatorcontrol.h"

#include <QAbstractHttpServer>
#include <QHostAddress>
#include <QPointer>
#include <QUrl>

#include <memory>

QT_BEGIN_NAMESPACE
class QTcpServer;
QT_END_NAMESPACE

namespace breakwater {

// A real HTTP/1.1 server speaking the ElevenLabs API (text-to-speech, models, subscription)
// whose answers follow a switchable FaultPlan. It lives on one thread (the one it was created on
// or moved to) and never blocks it: delays are timers. The plan and the counters sit in a
// SimulatorControl that any thread may use while the server runs.
//
// Choices where the real service gives no guidance:
// - The plan decides first, for every path (the health endpoint included); only a request the
//   plan lets through meets authentication and validation.
// - A plan is read when a request arrives; connections hung by an earlier plan stay hung after
//   the plan changes (as a real stuck backend would), until the client gives up or stop().
// - Malformed is a well-framed 200 with Content-Type application/json and a truncated JSON body.
// - Reset sets SO_LINGER to zero before closing, so the client sees a TCP RST.
class ElevenLabsSimulator final : public QAbstractHttpServer
{
    Q_OBJECT

public:
    explicit ElevenLabsSimulator(std::shared_ptr<SimulatorControl> control = nullptr,
                                 QObject* parent = nullptr);
    ~ElevenLabsSimulator() override;
    Q_DISABLE_COPY_MOVE(ElevenLabsSimulator)

    // Listens on address:port (port 0: any free port). On failure errorString() says why.
    bool start(const QHostAddress& address = QHostAddress(QHostAddress::LocalHost),
               quint16 port = 0);
    // Stops listening and closes every connection, hung ones included. start() may follow.
    void stop();

    bool isListening() const;
    quint16 port() const;
    QUrl baseUrl() const; // "http://127.0.0.1:<port>"
    QString errorString() const { return m_error; }

    // Safe from any thread.
    SimulatorControl& control() const { return *m_control; }
    std::shared_ptr<SimulatorControl> sharedControl() const { return m_control; }
    QString setFaultPlan(const FaultPlan& plan) { return m_control->setFaultPlan(plan); }
    FaultPlan faultPlan() const { return m_control->faultPlan(); }
    void setPlanListener(SimulatorControl::PlanListener listener)
    {
        m_control->setPlanListener(std::move(listener));
    }
    SimulatorCounters counters() const { return m_control->counters(); }

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    void answer(QTcpSocket* socket, const FaultDecision& decision, const SimulatorRequest& request,
                bool keepAlive);
    void send(QTcpSocket* socket, const SimulatedResponse& response, bool keepAlive,
              SimulatorOutcome outcome);
    void reset(QTcpSocket* socket);

    std::shared_ptr<SimulatorControl> m_control;
    SimulatedElevenLabsApi m_api;
    QPointer<QTcpServer> m_tcpServer;
    QHostAddress m_address;
    QString m_error;
};

} // namespace breakwater
