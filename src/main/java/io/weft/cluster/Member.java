package io.weft.cluster;

import org.apache.camel.cluster.CamelClusterMember;

/** One instance as a cluster view sees it: its id, whether it leads the view's lock, whether it is this one. */
record Member(String id, boolean leader, boolean local) implements CamelClusterMember {
    @Override
    public String getId() {
        return id;
    }

    @Override
    public boolean isLeader() {
        return leader;
    }

    @Override
    public boolean isLocal() {
        return local;
    }
}
