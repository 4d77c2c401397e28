#include "simulatorhost.h"

#include "elevenlabssimulator.h"
#include "threading/callandwait.h"

#include <QThread>

namespace breakwater {

SimulatorHost::SimulatorHost(std::shared_ptr<SimulatorControl> control)
    : m_control(control ? std::move(control) : std::make_shared<SimulatorControl>())
{}

SimulatorHost::~SimulatorHost()
{
    stop();
}

bool SimulatorHost::start(const QHostAddress& address, quint16 port)
{
    if (isRunning()) {
        m_error =
            QStringLiteral("the simulator is already running on port ") % QString::number(m_port);
        return false;
    }
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("bw-simulator"));
    m_thread->start();

    auto* server = new ElevenLabsSimulator(m_control);
    server->moveToThread(m_thread.get());
    bool listening = false;
    // Blocking: the caller learns the port (or the refusal) before start() returns.
    callAndWait(server, [&] {
        listening = server->start(address, port);
        m_error = server->errorString();
        m_port = server->port();
        m_baseUrl = server->baseUrl();
    });

    m_server = server;
    if (!listening) {
        const QString error = m_error;
        stop();
        m_error = error;
        return false;
    }
    return true;
}

void SimulatorHost::stop()
{
    if (!m_thread)
        return;
    if (m_server) {
        ElevenLabsSimulator* server = std::exchange(m_server, nullptr);
        callAndWait(server, [server] { delete server; });
    }
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
    m_port = 0;
    m_baseUrl.clear();
}

} // namespace breakwater
