package io.weft.cluster;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;

import java.util.List;
import java.util.Optional;

/**
 * The cluster service of the embedded store: H2 is a file of this one instance, so there is nobody to share a
 * poller with and this instance leads every lock as soon as a poller asks for it.
 */
final class SingleInstanceClusterService extends AbstractCamelClusterService<SingleInstanceClusterService.View> {
    private final String instance;

    SingleInstanceClusterService(String instance) {
        super("weft-single-instance");
        this.instance = instance;
    }

    @Override
    protected View createView(String namespace) {
        return new View(this, namespace, new Member(instance, true, true));
    }

    static final class View extends AbstractCamelClusterView {
        private final Member self;

        View(CamelClusterService service, String namespace, Member self) {
            super(service, namespace);
            this.self = self;
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return Optional.of(self);
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return self;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(self);
        }

        @Override
        protected void doStart() {
            fireLeadershipChangedEvent(self);
        }

        @Override
        protected void doStop() {
            // nothing held anywhere
        }
    }
}
